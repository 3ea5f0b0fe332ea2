"""Every chapter of the registry has one shape (issue 24 §1).

A frozen dataclass built by ``Chapter.build(**params)`` (keyword-only), with view methods, findings
that each carry the number they rest on, a typed metrics record of the contract and an export
that writes CSV files. Each chapter is built once, from its notebook's parameters through the
registry (as ``clusterlib summary`` does), on the bundled data and the small synthetic survey.
"""

from __future__ import annotations

import dataclasses
import inspect
import math

import pandas as pd
import pytest

from clusterlib.chapters.base import Chapter, Finding, View
from clusterlib.chapters.metrics import CONTRACT, EuropeMetrics, SpecialisationMetrics, to_dict
from clusterlib.chapters.registry import CHAPTERS, build_chapter, chapter_class

DRIVERS = "rd_inhouse + coop_suppliers + coop_universities + np.log(employees / 50)"
#: Small, fast parameters of each notebook (extra keys, like seed and output_dir, are dropped).
PARAMS = {
    "01_specialisation": dict(region="PL22", cluster="metal processing", year=2014,
                              start_year=2009, horizon=2020),
    "02_innovation_drivers": dict(region="PL22", drivers=DRIVERS, n_boot=10),
    "03_firm_segments": dict(region="PL22", k_max=3, n_boot=4),
    "04_related_industries": dict(region="PL22", cluster="metal processing", year=2014,
                                  n_boot=10),
    "05_value_chains": dict(region="PL34", cluster="metal processing"),
    "06_innovation_context": dict(region="PL34"),
}  # fmt: skip


def test_every_registered_notebook_has_small_parameters_here():
    assert set(PARAMS) == set(CHAPTERS)


@pytest.fixture(scope="module", params=sorted(CHAPTERS))
def built(request):
    notebook = request.param
    return notebook, build_chapter(notebook, {**PARAMS[notebook], "seed": 0, "output_dir": ""})


@pytest.mark.parametrize("notebook", sorted(CHAPTERS))
def test_class_is_a_frozen_chapter_with_a_keyword_only_build(notebook):
    cls = chapter_class(notebook)
    assert issubclass(cls, Chapter)
    assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    params = list(inspect.signature(cls.build).parameters.values())
    assert params and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    views = [n for n in dir(cls) if n.startswith("show_") and callable(getattr(cls, n))]
    assert "show_findings" in views and len(views) >= 3, views


def test_built_chapter_cannot_be_changed(built):
    _, ch = built
    field = dataclasses.fields(ch)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(ch, field, None)


def test_findings_each_carry_a_finite_number_or_none(built):
    _, ch = built
    findings = ch.findings()
    assert isinstance(findings, list) and findings
    assert all(isinstance(f, Finding) and f.text.strip() for f in findings)
    keys = [f.key for f in findings]
    assert len(set(keys)) == len(keys), keys  # the brief picks findings by key
    for f in findings:  # a number is finite; a caveat or a "no data" sentence has none
        assert f.value is None or (isinstance(f.value, float) and math.isfinite(f.value)), f
    numbered = [f for f in findings if f.value is not None]
    assert len(numbered) >= len(findings) / 2  # most findings rest on a number
    shown = "".join(str(p[1]) for p in ch.show_findings().parts)
    assert all(f.text in shown for f in findings)  # the notebook shows every finding
    assert isinstance(ch.show_findings(), View)


def test_metrics_is_a_typed_record_of_the_contract(built):
    _, ch = built
    m = ch.metrics()
    assert dataclasses.is_dataclass(m) and not isinstance(m, type)
    assert CONTRACT[m.SECTION] is type(m)
    assert isinstance(to_dict(m), dict)


def test_export_writes_the_tables_as_csv(built, tmp_path):
    notebook, ch = built
    paths = ch.export(tmp_path)
    csvs = [p for p in paths if p.suffix == ".csv"]
    assert [p.stem for p in csvs] == list(ch.tables())
    for p in csvs:
        assert p.exists() and p.parent == tmp_path / "exports"
        assert len(pd.read_csv(p).columns) >= 1, p
    assert paths[-1].suffix == ".xlsx" and paths[-1].exists()
    if notebook == "01_specialisation":  # the batch index links <region>_tables.xlsx
        assert paths[-1].name == "PL22_tables.xlsx"


def test_europe_metrics_fill_the_same_typed_fields_of_notebook_01(built):
    notebook, ch = built
    spec = {f.name: f.type for f in dataclasses.fields(SpecialisationMetrics)}
    for f in dataclasses.fields(EuropeMetrics):
        assert spec[f.name] == f.type, f.name
    if notebook != "01_specialisation":
        return
    eu, m = ch.europe.metrics(), ch.metrics()
    for f in dataclasses.fields(EuropeMetrics):
        assert getattr(m, f.name) == getattr(eu, f.name), f.name
    assert isinstance(m.eu_thresholds["lq"], float) and m.eu_thresholds["lq"] == 2.0
    assert set(m.eu_star_detail) == {"size", "specialisation", "focus", "productivity",
                                     "dynamism"}  # fmt: skip


def test_the_pooled_model_finding_rests_on_its_largest_significant_effect(built):
    notebook, ch = built
    if notebook != "02_innovation_drivers":
        return
    ame = ch.no_fe.ame
    sig = ame[ame["p"] < 0.05]
    largest = sig.loc[sig["estimate"].abs().idxmax()]  # by hand: the first driver of the text
    f = {x.key: x for x in ch.findings()}["pooled"]
    assert f.value == pytest.approx(100 * largest["estimate"])
    assert f"{abs(f.value):.1f} percentage points" in f.text
