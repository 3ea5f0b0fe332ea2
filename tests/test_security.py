"""Issue 23 §3: user strings never become markup, formulas, YAML bombs or template code."""

import shutil

import pytest
import yaml
from bs4 import BeautifulSoup

from clusterlib import config
from clusterlib.cli import main

#: A cluster name that tries every way into a report: elements, attributes, a Markdown link, a
#: bare URL, emphasis, a formula and an entity.
HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> *bold* [link](http://evil.example) '
    "http://evil.example $x^2$ R&amp;D"
)


def _injected(page: str) -> list[str]:
    """Elements or attributes that only the hostile name could have put into ``page``."""
    soup = BeautifulSoup(page, "html.parser")
    bad = [f"script {s.string!r}" for s in soup.find_all("script") if "alert" in (s.string or "")]
    bad += [f"img src={i.get('src')!r}" for i in soup.find_all("img") if i.get("src") == "x"]
    bad += [f"{t.name} onerror" for t in soup.find_all(attrs={"onerror": True})]
    bad += [f"a href={a.get('href')!r}" for a in soup.find_all("a") if "evil" in a.get("href", "")]
    bad += [
        f"math {m}" for m in soup.find_all("math") if "x" in m.get_text() and "2" in m.get_text()
    ]
    return bad


def _text(page: str) -> str:
    return " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())


@pytest.mark.slow
@pytest.mark.kernel
def test_hostile_cluster_name_is_text_in_every_report(tmp_path, monkeypatch):
    params = tmp_path / "params"
    shutil.copytree(config.params_dir(), params)
    clusters = yaml.safe_load((params / "clusters.yaml").read_text(encoding="utf-8"))
    clusters[HOSTILE] = {"description": "hostile", "industries": ["C24", "C25"]}
    (params / "clusters.yaml").write_text(yaml.safe_dump(clusters, allow_unicode=True), "utf-8")
    for f in params.glob("PL*.yaml"):
        if f.stem != "PL22":
            f.unlink()
    (params / "PL22.yaml").write_text(
        yaml.safe_dump({"region": "PL22", "cluster": HOSTILE, "n_boot": 5}), encoding="utf-8"
    )
    monkeypatch.setenv("CLUSTERLIB_PARAMS", str(params))
    out = tmp_path / "reports"
    code = main(
        ["run", "--regions", "PL22", "--notebooks", "01_specialisation,04_related_industries",
         "--params", str(params), "--out", str(out), "--no-progress", "--jobs", "1"]
    )  # fmt: skip
    assert code == 0
    pages = {
        name: (out / name).read_text(encoding="utf-8")
        for name in ("PL22/01_specialisation.html", "PL22/04_related_industries.html",
                     "PL22/brief.html", "index.html")
    }  # fmt: skip
    literal = " ".join(HOSTILE.split())
    for name, page in pages.items():
        assert _injected(page) == [], name
        assert literal in _text(page), name


# --- CSV and XLSX exports: no formula cells, numbers stay numbers ----------------------------

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"]


def _formula_frame():
    import pandas as pd

    idx = pd.Index(['=HYPERLINK("http://evil")', "PL22", *FORMULAS[:4]], name="=region")
    return pd.DataFrame(
        {"cluster": FORMULAS, "lq": [-1.5, 2.0, -3.25, 0.0, 1.0, -7.0], "text": ["-12.5"] * 6},
        index=idx,
    )


def _check_csv(text: str) -> list[str]:
    """Cells of a CSV; fails if one would run as a formula (a plain number may start with -)."""
    import csv
    import io
    import re

    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    assert all("\r" not in c for c in cells)
    for c in cells:
        number = re.fullmatch(r"[+-]?\d+(\.\d*)?", c)
        assert number or not c.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), c
    return cells


def test_europe_export_neutralises_formulas_in_csv_and_xlsx(tmp_path):
    import types

    import openpyxl

    from clusterlib.chapters.europe import EuropeChapter

    chapter = types.SimpleNamespace(region="PL22", tables=dict)
    EuropeChapter.export(chapter, tmp_path, extra={"hostile": _formula_frame()})
    cells = _check_csv((tmp_path / "exports" / "hostile.csv").read_bytes().decode("utf-8"))
    assert "'=1+1" in cells and "'=region" in cells and '\'=HYPERLINK("http://evil")' in cells
    assert "-1.5" in cells and "-12.5" in cells  # negative numbers and numeric text kept
    book = openpyxl.load_workbook(tmp_path / "exports" / "PL22_tables.xlsx")
    sheet = book["hostile"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert "'=1+1" in values and "'@SUM(A1)" in values
    assert -1.5 in values and -3.25 in values  # numbers stay numbers
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in values)


def test_headline_csv_neutralises_cluster_and_name(tmp_path):
    from clusterlib.batch.report import _write_csv

    metrics = {"PL22": {"specialisation": {"cluster": "=cmd|' /C calc'!A0", "year": 2014,
                                            "lq": {"value": -0.5}}}}  # fmt: skip
    runs = [{"name": "@evil", "region": "PL22"}]
    _write_csv(tmp_path, metrics, {"PL22": runs})
    cells = _check_csv((tmp_path / "headline.csv").read_bytes().decode("utf-8"))
    assert "'=cmd|' /C calc'!A0" in cells and "-0.5" in cells


def test_safe_cell_cases():
    from clusterlib.io.export import safe_cell

    assert [safe_cell(v) for v in ["=a", "+a", "-a", "@a", "\ta", "\ra", "\na"]] == [
        "'=a", "'+a", "'-a", "'@a", "'\ta", "'\na", "'\na"
    ]  # fmt: skip
    assert [safe_cell(v) for v in ["-1", "+2.5", "-1e3", ".5", "a=b", "", -3, None]] == [
        "-1", "+2.5", "-1e3", ".5", "a=b", "", -3, None
    ]  # fmt: skip


def test_no_exporter_bypasses_the_shared_helper():
    """Every CSV/XLSX export of the reports goes through clusterlib.io.export."""
    import re
    from pathlib import Path

    root = config.PROJECT_ROOT
    allowed = {"clusterlib/io/export.py", "clusterlib/io/files.py",
               # input files for the user to import (synthetic data), not exports of results
               "clusterlib/innovation/synthetic.py", "clusterlib/innovation/example.py",
               "clusterlib/stakeholders/example.py"}  # fmt: skip
    offenders = []
    for path in [*root.glob("clusterlib/**/*.py"), *root.glob("notebooks/*.ipynb")]:
        rel = str(Path(path).relative_to(root))
        text = path.read_text(encoding="utf-8")
        if rel not in allowed and re.search(r"\.to_csv\(|\.to_excel\(|csv\.writer\(", text):
            offenders.append(rel)
    assert offenders == []
