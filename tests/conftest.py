import pytest

from clusterlib import config, read_eurostat_tsv


@pytest.fixture(scope="session")
def eurostat():
    """The full bundled Eurostat file, read once per test session."""
    return read_eurostat_tsv(config.eurostat_path())


#: The regional SBS indicator codes of sbs_r_nuts2021 for the 2017 ones (clusterlib.reference.measures).
NEW_SBS_CODES = {"V16110": "EMP_LOC_NR", "V11210": "LOC_NR", "V13320": "WAGE_LOC_MEUR"}


def _to_current_generation(lines: list[str]) -> str:
    """The 2017 SBS file's lines as sbs_r_nuts2021 writes them: freq first, the new codes, years up."""
    head = lines[0].rstrip("\n").split("\t")
    order = list(range(len(head) - 1))[::-1]
    out = ["\t".join(["freq,nace_r2,indic_sbs,geo\\TIME_PERIOD"] + [head[1 + j] for j in order])]
    for line in lines[1:]:
        parts = line.rstrip("\n").split("\t")
        nace, ind, geo = parts[0].split(",")
        out.append("\t".join([f"A,{nace},{NEW_SBS_CODES.get(ind, ind)},{geo}"]
                             + [parts[1 + j] for j in order]))  # fmt: skip
    return "\n".join(out) + "\n"


@pytest.fixture(scope="session")
def to_current_generation():
    """Return the function that rewrites 2017 SBS lines in the current bulk format."""
    return _to_current_generation
