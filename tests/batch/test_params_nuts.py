"""Params files with NUTS 2016/2021 codes (``nuts``) and another data file (``data_path``).

Checked before any kernel starts: the region's code against its declared version, mapped to the
NUTS 2013 data as the chapters map it; a data file that exists and that the reader accepts.
"""

from __future__ import annotations

import shutil

import pytest

from clusterlib import config
from clusterlib.batch.brief import render_brief
from clusterlib.batch.params import build_jobs, check_parameters, merged_parameters, unit_name
from clusterlib.chapters.specialisation import SpecialisationChapter
from clusterlib.errors import ParameterError
from clusterlib.reference.areas import load_areas

SENTENCE = "PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here."


@pytest.fixture
def params_dir(tmp_path):
    d = tmp_path / "params"
    shutil.copytree(config.params_dir(), d)
    return d


def region_file(d, code, text):
    (d / f"{code}.yaml").write_text(f"region: {code}\n{text}", encoding="utf-8")


def test_pl84_of_nuts_2021_runs_every_notebook(params_dir):
    shutil.copy(config.PROJECT_ROOT / "tests/data/params_nuts2021/PL84.yaml", params_dir)
    jobs = {j.notebook: j for j in build_jobs(["PL84"], params_dir=params_dir)}
    assert {j.region for j in jobs.values()} == {"PL84"}  # the output folder keeps the code
    assert jobs["01_specialisation"].name == "Podlaskie" == unit_name("PL84")
    for nb in (
        "01_specialisation",
        "04_related_industries",
        "05_value_chains",
        "06_innovation_context",
    ):
        assert jobs[nb].parameters["region"] == "PL84" and jobs[nb].parameters["nuts"] == 2021
    # the survey notebooks, without `nuts`, get the NUTS 2013 code of the data
    for nb in ("02_innovation_drivers", "03_firm_segments"):
        assert jobs[nb].parameters["region"] == "PL34" and "nuts" not in jobs[nb].parameters


@pytest.mark.parametrize(
    ("code", "text", "message"),
    [
        ("PL91", "nuts: 2021\n", "PL91 (Warszawski stołeczny, NUTS 2021) is part of PL12 "
         "(Mazowieckie) in the NUTS 2013 data used here, which hold PL12 only as a whole. "
         "clusterlib does not estimate PL91 from PL12"),
        ("PL92", "nuts: 2021\n", "Analyse PL12 (region: PL12, nuts: 2013)"),
        ("PL34", "nuts: 2021\n", "PL34 is a NUTS 2013 code (Podlaskie); in NUTS 2021 it is "
         "PL84 (Podlaskie)."),
        ("PL84", "", "PL84 is a NUTS 2016/2021/2024 code (Podlaskie); in NUTS 2013 it is PL34"),
        ("PL84", "nuts: 2010\n", "key 'nuts': NUTS version 2010 is not known"),
        ("PL84", "nuts: '2021'\n", "key 'nuts': expected int"),
    ],
)  # fmt: skip
def test_split_and_wrong_version_codes_are_refused(params_dir, code, text, message):
    region_file(params_dir, code, text)
    with pytest.raises(ParameterError) as err:
        merged_parameters(code, params_dir=params_dir)
    assert message in str(err.value) and f"{code}.yaml" in str(err.value)


def test_pl12_of_nuts_2013_is_unchanged(params_dir):
    assert merged_parameters("PL12", params_dir=params_dir)["region"] == "PL12"
    region_file(params_dir, "PL12", "nuts: 2013\n")
    assert merged_parameters("PL12", params_dir=params_dir)["nuts"] == 2013


def test_an_area_of_nuts_2021_codes(params_dir, monkeypatch):
    monkeypatch.setenv("CLUSTERLIB_PARAMS", str(params_dir))
    (params_dir / "areas.yaml").write_text(
        "PL-NE21:\n  name: North-east\n  nuts: 2021\n  regions: [PL84, PL62, PL81]\n"
        "PL-BAD:\n  nuts: 2021\n  regions: [PL34]\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError, match=r"PL34 is a NUTS 2013 code .* it is PL84"):
        merged_parameters("PL-BAD", params_dir=params_dir)
    (params_dir / "areas.yaml").write_text(
        "PL-NE21:\n  name: North-east\n  nuts: 2021\n  regions: [PL84, PL62, PL81]\n",
        encoding="utf-8",
    )
    area = load_areas(params_dir / "areas.yaml")["PL-NE21"]
    assert area["regions"] == ("PL34", "PL62", "PL31")  # hand-read from the change list
    assert area["note"] == (
        "PL-NE21: PL84, PL62, PL81 (NUTS 2021) are PL34, PL62, PL31 in the NUTS 2013 data used here."
    )
    assert merged_parameters("PL-NE21", params_dir=params_dir)["region"] == "PL-NE21"


def test_data_path_in_a_params_file(params_dir, tmp_path):
    own = tmp_path / "sbs.tsv"
    own.write_text(
        "nace_r2,indic_sb,geo\\time\t2014 \t2009 \nC28,V16110,PL22\t4120 \t4000 \n",
        encoding="utf-8",
    )
    shutil.copy(own, params_dir / "mine.tsv")
    region_file(params_dir, "PL22", "data_path: mine.tsv\n")  # relative to the params folder
    merged = merged_parameters("PL22", params_dir=params_dir)
    assert merged["data_path"] == str(params_dir / "mine.tsv")
    region_file(params_dir, "PL22", "data_path: mine.tsv\nyear: 2013\n")
    with pytest.raises(
        ParameterError, match=r"2013 is not a year of the data; available: 2009-2014"
    ):
        merged_parameters("PL22", params_dir=params_dir)
    region_file(params_dir, "PL22", "data_path: nothing.tsv\n")
    with pytest.raises(ParameterError, match=r"key 'data_path': '.*nothing.tsv' is no file"):
        merged_parameters("PL22", params_dir=params_dir)
    (params_dir / "notes.tsv").write_text("hello\tworld\n", encoding="utf-8")
    region_file(params_dir, "PL22", "data_path: notes.tsv\n")
    with pytest.raises(ParameterError, match=r"key 'data_path': .* not a Eurostat file"):
        merged_parameters("PL22", params_dir=params_dir)


def test_notebook_parameters_check_data_path_and_nuts(tmp_path):
    values = {"region": "PL84", "cluster": "metal and machinery", "year": 2014,
              "start_year": 2009, "nuts": 2021, "data_path": ""}  # fmt: skip
    assert check_parameters("01_specialisation", values)["nuts"] == 2021
    with pytest.raises(ParameterError, match=r"key 'data_path': .* is no file"):
        check_parameters("01_specialisation", {**values, "data_path": str(tmp_path / "x.tsv")})
    with pytest.raises(ParameterError, match=r"key 'region': PL84 is a NUTS 2016/2021/2024"):
        check_parameters("05_value_chains", {**values, "nuts": 2013})
    # a file in NUTS 2021 codes has PL84 itself, and no PL12
    own = tmp_path / "sbs2021.tsv"
    own.write_text("freq,nace_r2,indic_sbs,geo\\TIME_PERIOD\t2009 \t2014 \n"
                   "A,C28,EMP_LOC_NR,PL84\t10 \t12 \nA,C28,EMP_LOC_NR,PL91\t20 \t22 \n",
                   encoding="utf-8")  # fmt: skip
    assert (
        check_parameters("01_specialisation", {**values, "data_path": str(own)})["region"] == "PL84"
    )
    with pytest.raises(
        ParameterError, match=r"key 'region': PL12 \(Mazowieckie, NUTS 2013\) is PL91"
    ):
        check_parameters("01_specialisation", {**values, "region": "PL12", "nuts": 2013,
                                                "data_path": str(own)})  # fmt: skip


@pytest.mark.slow
def test_the_brief_says_how_the_code_maps():
    ch = SpecialisationChapter.build(region="PL84", nuts=2021, cluster="metal and machinery",
                                     year=2014, start_year=2009)  # fmt: skip
    page = render_brief("PL84", "Podlaskie", {"specialisation": ch.metrics()}, [])
    assert f'<p class="nuts">{SENTENCE}</p>' in page
    polski = render_brief("PL84", "Podlaskie", {"specialisation": ch.metrics()}, [], lang="pl")
    assert ('<p class="nuts">PL84 (NUTS 2021) to PL34 w danych według NUTS 2013 użytych w tym '
            "opracowaniu.</p>") in polski  # fmt: skip
    plain = render_brief("PL34", "Podlaskie", {"specialisation": ch.metrics().__class__(
        **{**ch.metrics().__dict__, "nuts_note": ""})}, [])  # fmt: skip
    assert 'class="nuts"' not in plain
