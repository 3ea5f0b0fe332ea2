"""The chapters on another data file (``data_path``) and on a region code of another NUTS version.

The small files are the Polish rows of the bundled SBS file with one cell changed by hand:
persons employed in C25 (fabricated metal products), PL34 Podlaskie, 2014: 3576 -> 9576. The
cluster "metal and machinery" of PL34 then has 6000 more persons employed than in the bundled
file, and every number built on it moves.
"""

from __future__ import annotations

import dataclasses
import gzip

import pytest

from clusterlib import config
from clusterlib.chapters.metrics import to_dict
from clusterlib.chapters.specialisation import SpecialisationChapter
from clusterlib.chapters.value_chains import ValueChainChapter
from clusterlib.errors import UnknownCodeError

KW = {"cluster": "metal and machinery", "year": 2014, "start_year": 2009}
OLD, NEW = "C25,V16110,PL34\t4218 \t3576 \t", "C25,V16110,PL34\t4218 \t9576 \t"


@pytest.fixture(scope="module")
def small(tmp_path_factory, to_current_generation):
    """The Polish rows with the one changed cell: (old-format .tsv.gz, current-format .tsv)."""
    with gzip.open(config.raw_dir() / config.EUROSTAT_FILE, "rt", encoding="utf-8") as f:
        lines = [ln for i, ln in enumerate(f) if i == 0 or ln.split(",")[2][:2] == "PL"]
    hit = [i for i, ln in enumerate(lines) if ln.startswith(OLD)]
    assert len(hit) == 1
    lines[hit[0]] = lines[hit[0]].replace(OLD, NEW)
    folder = tmp_path_factory.mktemp("own")
    old = folder / "sbs_pl.tsv.gz"
    with gzip.open(old, "wt", encoding="utf-8") as f:
        f.write("".join(lines))
    new = folder / "sbs_pl_current.tsv"
    new.write_text(to_current_generation(lines), encoding="utf-8")
    return old, new


def numbers(chapter) -> dict:
    out = to_dict(chapter.metrics())
    out.pop("nuts_note", None)
    return out


@pytest.mark.slow
def test_data_path_gives_other_numbers_and_the_same_as_data(small, monkeypatch):
    old, new = small
    monkeypatch.delenv("CLUSTERLIB_EUROSTAT", raising=False)
    default = SpecialisationChapter.build(region="PL34", **KW)
    mine = SpecialisationChapter.build(region="PL34", data_path=str(old), **KW)
    # the hand-changed cell: 6000 more persons employed in the cluster of PL34 in 2014
    assert mine.row["count"] - default.row["count"] == pytest.approx(6000)
    assert mine.row["lq"] > default.row["lq"]
    assert "CLUSTERLIB_EUROSTAT" not in __import__("os").environ  # restored after the build
    assert (
        mine.data_note.startswith("Data: the Eurostat file sbs_pl.tsv.gz") and not default.data_note
    )
    # the current format of the same cells gives the same numbers
    assert numbers(SpecialisationChapter.build(region="PL34", data_path=str(new), **KW)) == numbers(
        mine
    )
    # clusterlib run --data FILE sets CLUSTERLIB_EUROSTAT for the run: the same numbers
    monkeypatch.setenv("CLUSTERLIB_EUROSTAT", str(old))
    assert numbers(SpecialisationChapter.build(region="PL34", **KW)) == numbers(mine)


@pytest.mark.slow
def test_value_chains_read_the_data_path(small):
    old, _ = small
    kw = {"cluster": "metal and machinery", "year": 2014}
    default = ValueChainChapter.build(region="PL34", **kw)
    mine = ValueChainChapter.build(region="PL34", data_path=str(old), **kw)
    assert mine.local.loc[0.3, "cluster"] != default.local.loc[0.3, "cluster"]
    diff = mine.employment["regional"] - default.employment["regional"]
    assert diff.sum() == pytest.approx(6000)  # C25 lies in one WIOD industry, c12


@pytest.mark.slow
def test_pl84_of_nuts_2021_is_pl34_with_the_sentence():
    a = SpecialisationChapter.build(region="PL34", **KW)
    b = SpecialisationChapter.build(region="PL84", nuts=2021, **KW)
    sentence = "PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here."
    assert numbers(a) == numbers(b) and b.region == "PL34"
    assert b.nuts_note == sentence and not a.nuts_note
    assert b.metrics().nuts_note == sentence and b.findings()[0].text == sentence
    header = [p for p in b.show_header().parts if p[0] == "markdown"]
    assert any(sentence in str(p[1]) for p in header)
    assert sentence not in str(a.show_header().parts)


@pytest.mark.parametrize(
    ("region", "nuts", "message"),
    [
        ("PL91", 2021, "PL91 (Warszawski stołeczny, NUTS 2021) is part of PL12 (Mazowieckie) in "
                       "the NUTS 2013 data used here"),
        ("PL92", 2016, "PL92 (Mazowiecki regionalny, NUTS 2016) is part of PL12"),
        ("PL34", 2021, "PL34 is a NUTS 2013 code (Podlaskie); in NUTS 2021 it is PL84"),
        ("PL84", 2013, "PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it is PL34"),
    ],
)  # fmt: skip
def test_split_and_wrong_version_codes_are_refused(region, nuts, message):
    with pytest.raises(UnknownCodeError) as err:
        SpecialisationChapter.build(region=region, nuts=nuts, **KW)
    assert message in str(err.value)


def test_pl12_of_nuts_2013_is_still_analysed_as_it_is():
    from clusterlib.chapters.areas import analysed_unit

    assert analysed_unit("PL12") == ("PL12", "")
    assert analysed_unit("PL22", nuts=2021) == ("PL22", "")  # unchanged code: no sentence
    assert dataclasses.is_dataclass(SpecialisationChapter)


@pytest.mark.kernel
def test_papermill_data_path_and_nuts_as_data(small, tmp_path, monkeypatch):
    """Notebook 05 through papermill: ``data_path`` + PL84 (NUTS 2021) against ``--data`` + PL34."""
    import json

    import papermill

    old, _ = small
    monkeypatch.delenv("CLUSTERLIB_EUROSTAT", raising=False)

    def run(name, **params):
        out = tmp_path / name
        out.mkdir()
        papermill.execute_notebook(
            str(config.notebooks_dir() / "05_value_chains.ipynb"), str(out / "nb.ipynb"),
            parameters={**params, "output_dir": str(out)}, progress_bar=False,
            cwd=str(config.notebooks_dir()),
        )  # fmt: skip
        nb = json.loads((out / "nb.ipynb").read_text(encoding="utf-8"))
        shown = json.dumps([c.get("outputs", []) for c in nb["cells"]])
        return json.loads((out / "metrics.json").read_text())["value_chains"], shown

    mine, shown = run("mine", region="PL84", nuts=2021, data_path=str(old))
    monkeypatch.setenv("CLUSTERLIB_EUROSTAT", str(old))  # what clusterlib run --data sets
    given, _ = run("given", region="PL34")
    sentence = "PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here."
    assert mine.pop("nuts_note") == sentence and given.pop("nuts_note") == ""
    assert sentence in shown and "Data: the Eurostat file sbs_pl.tsv.gz" in shown
    mine.pop("findings"), given.pop("findings")
    assert mine == given
    monkeypatch.delenv("CLUSTERLIB_EUROSTAT")
    default = to_dict(
        ValueChainChapter.build(region="PL34", cluster="metal and machinery").metrics()
    )
    assert mine["local_input_share"] != default["local_input_share"]


@pytest.mark.slow
def test_on_nuts_2021_data_pl84_is_itself_and_pl34_is_mapped(small, tmp_path):
    """The small file with its Polish codes written as NUTS 2021 codes (PL12 as PL91 alone)."""
    old, _ = small
    recode = {"PL11": "PL71", "PL33": "PL72", "PL31": "PL81", "PL32": "PL82", "PL34": "PL84",
              "PL12": "PL91"}  # fmt: skip
    with gzip.open(old, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        key, rest = line.split("\t", 1)
        nace, ind, geo = key.split(",")
        out.append(f"{nace},{ind},{recode.get(geo, geo)}\t{rest}")
    new = tmp_path / "sbs_2021_codes.tsv"
    new.write_text("\n".join(out) + "\n", encoding="utf-8")
    own = SpecialisationChapter.build(region="PL84", nuts=2021, data_path=str(new), **KW)
    assert (own.region, own.name, own.nuts_note) == ("PL84", "Podlaskie", "")
    mapped = SpecialisationChapter.build(region="PL34", data_path=str(new), **KW)
    assert mapped.nuts_note == "PL34 (NUTS 2013) is PL84 in the NUTS 2021 data used here."
    assert numbers(mapped) == numbers(own)
    with pytest.raises(
        UnknownCodeError, match=r"PL12 \(Mazowieckie, NUTS 2013\) is PL91 .* \+ PL92"
    ):
        SpecialisationChapter.build(region="PL12", data_path=str(new), **KW)
