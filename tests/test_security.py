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
    # a cache of its own: the shared one may hold star tables without the new cluster (issue 23 §1)
    monkeypatch.setenv("CLUSTERLIB_CACHE", str(tmp_path / "cache"))
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

    from clusterlib.chapters.base import Chapter

    chapter = types.SimpleNamespace(
        EXPORT="PL22_tables", tables=lambda: {"hostile": _formula_frame()}
    )
    Chapter.export(chapter, tmp_path)
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


# --- YAML alias bombs ------------------------------------------------------------------------

#: Nine levels of nine aliases each: 9**9 (387 million) strings if expanded.
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
#: Few aliases, each expanding a big list: 150 x 10,000 = 1.5 million values.
WIDE = "a: &a [" + ", ".join(["x"] * 10_000) + "]\nb: [" + ", ".join(["*a"] * 99) + "]\n"


@pytest.mark.parametrize(
    "text,pattern",
    [
        (BOMB, r"its aliases expand to more than 1,000,000 values"),
        ("a: &a 1\nb: [" + "*a, " * 101 + "]\n", r"more than 100 aliases \(\*a is one too many\)"),
        (WIDE, r"its aliases expand to more than 1,000,000 values"),
        ("a: &a [1, *a]\n", r"an alias refers to the list or mapping that contains it"),
    ],
)
def test_yaml_bombs_are_refused_naming_the_file(tmp_path, text, pattern):
    from clusterlib.errors import ClusterlibError
    from clusterlib.yamlfile import load_yaml

    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClusterlibError, match=rf"bomb\.yaml, line \d+: not valid YAML: {pattern}"):
        load_yaml(path)


def test_a_few_aliases_are_still_fine(tmp_path):
    from clusterlib.yamlfile import load_yaml

    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {year: 2014}\nPL21: *b\nPL22: *b\n", encoding="utf-8")
    assert load_yaml(path) == {
        "base": {"year": 2014},
        "PL21": {"year": 2014},
        "PL22": {"year": 2014},
    }


def test_every_yaml_file_kind_refuses_a_bomb(tmp_path):
    """params, clusters, rules, mapping and margins files all go through the one loader."""
    from clusterlib.batch.brief import load_rules
    from clusterlib.batch.params import merged_parameters
    from clusterlib.errors import ClusterlibError
    from clusterlib.innovation.weights import load_margins
    from clusterlib.io.questionnaire import load_mapping
    from clusterlib.reference.clusters import load_clusters

    bomb = "x: 1\n" + BOMB
    params = tmp_path / "params"
    params.mkdir()
    for name in ("defaults.yaml", "PL22.yaml", "actions.yaml", "clusters.yaml"):
        (params / name).write_text(bomb, encoding="utf-8")
    (tmp_path / "m.yaml").write_text(bomb, encoding="utf-8")
    calls = [
        ("PL22.yaml", lambda: merged_parameters("PL22", params_dir=params)),
        ("actions.yaml", lambda: load_rules(params / "actions.yaml")),
        ("clusters.yaml", lambda: load_clusters(params / "clusters.yaml")),
        ("m.yaml", lambda: load_mapping(tmp_path / "m.yaml")),
        ("m.yaml", lambda: load_margins(tmp_path / "m.yaml")),
    ]
    (params / "defaults.yaml").write_text("seed: 0\n", encoding="utf-8")
    for name, call in calls:
        with pytest.raises(ClusterlibError, match=rf"{name}, line \d+: .*aliases"):
            call()


def test_no_yaml_load_outside_the_one_loader():
    import re

    root = config.PROJECT_ROOT
    offenders = [
        str(p.relative_to(root))
        for p in [
            *root.glob("clusterlib/**/*.py"),
            *root.glob("notebooks/*.ipynb"),
            *root.glob("scripts/*.py"),
        ]  # fmt: skip
        if p.name != "yamlfile.py"
        and re.search(
            r"yaml\.(safe_)?load\(|yaml\.load_all|yaml\.unsafe_load", p.read_text("utf-8")
        )
    ]
    assert offenders == []


# --- action rules: complete checks when loaded, safe templates --------------------------------

RULE = "rules:\n  - {id: r1, metric: specialisation.lq, swot: strength, finding: 'LQ {value:.2f}', above: 1}\n"


@pytest.mark.parametrize(
    "change,pattern",
    [
        ({"finding": "'{value.__class__}'"}, r"field 'finding': the template field \{value\.__class__\} is not allowed"),
        ({"finding": "'{value.__class__.__mro__}'"}, r"field 'finding': the template field"),
        ({"finding": "'{value!r}'"}, r"field 'finding': conversions such as !r"),
        ({"finding": "'{metric}'"}, r"field 'finding': the template names \{metric\}"),
        ({"finding": "'{value:.2f'"}, r"field 'finding': not a valid template"),
        ({"action": "'Do {0}'"}, r"field 'action': the template field \{0\}"),
        ({"finding": "'{value:%Y}'"}, r"field 'finding': .*format '%Y'"),
        ({"metric": "specialisation.lqq"}, r"field 'metric': 'specialisation\.lqq' is not a number of metrics\.json.*'specialisation\.lq'"),
        ({"metric": "specialisation.cluster"}, r"field 'metric': 'specialisation\.cluster' is not a number"),
        ({"metric": "innovation.rates.nothing"}, r"field 'metric': 'innovation\.rates\.nothing'"),
        ({"above": ".nan"}, r"field 'above': expected a finite number, found nan"),
        ({"above": ".inf"}, r"field 'above': expected a finite number, found inf"),
        ({"above": "true"}, r"field 'above': expected a number, found True"),
        ({"id": "7"}, r"field 'id': expected text, found 7"),
    ],
)  # fmt: skip
def test_rules_are_checked_completely_when_loaded(tmp_path, change, pattern):
    from clusterlib.batch.brief import load_rules
    from clusterlib.errors import DataFormatError

    rule = {"id": "r1", "metric": "specialisation.lq", "swot": "strength",
            "finding": "'LQ {value:.2f}'", "above": "1", **change}  # fmt: skip
    body = ", ".join(f"{k}: {v}" for k, v in rule.items())
    path = tmp_path / "actions.yaml"
    path.write_text(f"rules:\n  - {{{body}}}\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=rf"actions\.yaml, rule 1 \([^)]*\), {pattern}"):
        load_rules(path)


def test_duplicate_rule_ids_are_refused(tmp_path):
    from clusterlib.batch.brief import load_rules
    from clusterlib.errors import DataFormatError

    path = tmp_path / "actions.yaml"
    path.write_text(RULE + RULE.split("\n", 1)[1], encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"rule 2 \(r1\), field 'id': 'r1' is also rule 1"):
        load_rules(path)


def test_findings_are_rendered_by_the_safe_formatter():
    """A rule built in code (not loaded) still cannot reach internals through its template."""
    from clusterlib.batch.brief import Rule
    from clusterlib.batch.brief_text import _finding
    from clusterlib.chapters.metrics import Estimate
    from clusterlib.errors import DataFormatError

    bad = Rule("r", "specialisation.lq", "strength", "{value.__class__.__init__}", above=1)
    with pytest.raises(DataFormatError, match=r"rule 'r', field 'finding': the template field"):
        _finding(bad, Estimate(value=1.46))
    ok = Rule("r", "specialisation.lq", "strength", "LQ {value:.2f}, {value:+,.0f}", above=1)
    assert _finding(ok, Estimate(value=-1234.5)) == "LQ -1234.50, -1,234"  # Python's digits
    act = Rule("r", "specialisation.lq", "strength", "x", above=1, action="Act on {value:.0%}")
    assert _finding(act, Estimate(value=0.25), "action") == "Act on 25%"
    bad_action = Rule("r", "specialisation.lq", "strength", "x", above=1, action="{value!s}")
    with pytest.raises(DataFormatError, match=r"rule 'r', field 'action': conversions"):
        _finding(bad_action, Estimate(value=0.25), "action")


# --- parameters: one rule for relative paths, the survey read before any kernel ---------------

EXAMPLE = ("ankieta_PL22_SYNTETYCZNA.csv", "ankieta_mapping.yaml", "ankieta_margins.yaml")


def _params_with(tmp_path, own: dict):
    params = tmp_path / "project" / "params"
    shutil.copytree(config.params_dir(), params)
    (params / "PL22.yaml").write_text(yaml.safe_dump({"region": "PL22", **own}), "utf-8")
    return params


def test_relative_survey_paths_are_taken_from_the_params_file_folder(tmp_path, monkeypatch):
    from clusterlib.batch.params import build_jobs

    data = tmp_path / "project" / "data" / "survey" / "example"
    data.mkdir(parents=True)
    for name in EXAMPLE:
        shutil.copy(config.data_dir() / "survey" / "example" / name, data / name)
    # the README's form, as written for papermill from notebooks/, in a region's params file
    own = dict(zip(("survey_path", "mapping_path", "weights"),
                   (f"../data/survey/example/{n}" for n in EXAMPLE), strict=True))  # fmt: skip
    params = _params_with(tmp_path, own)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the working directory plays no part
    jobs = build_jobs(["PL22"], notebooks=("02_innovation_drivers",), params_dir=params)
    got = {k: jobs[0].parameters[k] for k in own}
    assert got == {k: str(data / n) for k, n in zip(own, EXAMPLE, strict=True)}


@pytest.mark.parametrize("name", ["clusters.yaml", "PL21.yaml", "empty.csv"])
def test_a_file_that_is_not_a_survey_fails_before_any_kernel(tmp_path, capsys, name):
    params = _params_with(tmp_path, {"survey_path": name})
    (params / "empty.csv").write_text("", encoding="utf-8")
    out = tmp_path / "reports"
    argv = ["run", "--regions", "PL22", "--notebooks", "02_innovation_drivers",
            "--params", str(params), "--out", str(out), "--no-progress"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"PL22.yaml, key 'survey_path': '{params / name}' is not a survey" in err
    assert not out.exists()


def test_cli_messages_keep_blanks_inside_names(tmp_path, capsys):
    params = _params_with(tmp_path, {"cluster": "metal  processing"})
    argv = ["run", "--regions", "PL22", "--params", str(params), "--out", str(tmp_path / "r")]
    assert main(argv) == 2
    assert "unknown cluster 'metal  processing'" in capsys.readouterr().err


def test_cli_checks_the_rules_before_any_kernel(tmp_path, capsys):
    params = _params_with(tmp_path, {})
    (params / "actions.yaml").write_text(
        "rules:\n  - {id: r1, metric: specialisation.lq, swot: strength, above: 1,\n"
        "     finding: 'LQ {value.__class__}'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "reports"
    argv = ["run", "--regions", "PL22", "--params", str(params), "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "actions.yaml, rule 1 (r1), field 'finding': the template field" in err
    assert not out.exists()


def test_every_display_helper_renders_a_hostile_string_as_text(monkeypatch):
    """What notebooks 02 and 03 show (tables, Markdown, notes, figures) through the report
    exporter: a hostile string in any place a user string can reach stays text."""
    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    import pandas as pd

    from clusterlib.batch.render import render_notebook
    from clusterlib.chapters.display import markdown, md_text, note, show, show_table

    outputs = []

    def display(obj, raw=False, metadata=None):  # what the kernel would record
        if raw:
            data = obj
        elif isinstance(obj, IPython.display.Markdown):
            data = {"text/markdown": obj._repr_markdown_()}
        else:
            data = {"text/html": obj._repr_html_()}
        outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata or {}))

    monkeypatch.setattr(IPython.display, "display", display)
    h = HOSTILE
    table = pd.DataFrame({h: [h, 1.5]}, index=pd.Index([h, "b"], name=h))
    show_table(table, caption=h, labels={h: h})
    show_table(pd.concat({h: table}), caption=h)  # a MultiIndex row key
    markdown(f"**{md_text(h)}** and *{md_text(h)}*")
    note(f"segment {md_text(h)}")
    fig, ax = plt.subplots()
    ax.set_title(h.replace("$", ""))
    show(fig, alt=h)
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", outputs=outputs))
    page = render_notebook(nb)
    assert _injected(page) == []
    literal = " ".join(h.split())
    assert _text(page).count(literal) >= 9  # 2 x 3 in the first table, 2 MultiIndex, 3 Markdown
    img = BeautifulSoup(page, "html.parser").find("img", alt=True)
    assert img["alt"] == h
    # a user string that missed md_text still opens no element: generated Markdown has no '<'
    outputs.clear()
    markdown(f"raw: {h}")
    nb.cells[0].outputs = outputs
    soup = BeautifulSoup(render_notebook(nb), "html.parser")
    assert not soup.find_all(attrs={"onerror": True}) and not soup.find("img", src="x")
    assert not [t for t in soup.find_all("script") if "alert" in (t.string or "")]
    assert "<script>alert(1)</script>" in soup.get_text()


def test_a_readers_own_error_is_worded_with_the_file_and_key(tmp_path, monkeypatch):
    import clusterlib.io.survey
    from clusterlib.batch.params import ParameterError, merged_parameters

    def broken(path, mapping=None):
        raise ValueError("unexpected end of data")

    monkeypatch.setattr(clusterlib.io.survey, "read_survey", broken)
    params = _params_with(tmp_path, {"survey_path": "odd.csv"})
    (params / "odd.csv").write_text("firm_id\n1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"PL22\.yaml, key 'survey_path': '.*odd\.csv' is not "
                       r"a survey the notebooks can read \(ValueError: unexpected end of data\)"):  # fmt: skip
        merged_parameters("PL22", params_dir=params)
