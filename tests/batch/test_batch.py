"""The batch runner end to end: two regions, a failing region, resume, Dask, parameter checks."""

import dataclasses
import hashlib
import json
import os
import shutil

import pytest

from clusterlib import config
from clusterlib.batch.params import NOTEBOOKS, ParameterError, build_jobs, check_region_code
from clusterlib.batch.runner import run_batch
from clusterlib.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def params_dir(tmp_path):
    d = tmp_path / "params"
    shutil.copytree(config.params_dir(), d)
    return d


@pytest.mark.kernel
def test_two_regions_all_notebooks_and_resume(tmp_path):
    out = tmp_path / "reports"
    assert (
        main(["run", "--regions", "PL22,PL21", "--jobs", "2", "--out", str(out), "--no-progress"])
        == 0
    )
    for region in ("PL22", "PL21"):
        for nb in NOTEBOOKS:
            assert (out / region / f"{nb}.ipynb").exists() and (
                out / region / f"{nb}.html"
            ).exists()
        metrics = json.loads((out / region / "metrics.json").read_text(encoding="utf-8"))
        assert {"specialisation", "innovation", "segments", "relatedness"} <= set(metrics)
        assert (out / region / "exports" / "clusters_data.yaml").exists()
        assert metrics["specialisation"]["lq"]["low"] < metrics["specialisation"]["lq"]["value"]
        assert (out / region / "brief.html").exists()
        assert (out / region / "exports" / f"{region}_tables.xlsx").exists()
        assert (out / region / "exports" / "stars_europe.csv").exists()
        assert not list((out / region).glob(".tmp-*"))
    html = (out / "PL22" / "01_specialisation.html").read_text(encoding="utf-8")
    assert "Run parameters" in html and "import clusterlib" not in html  # code hidden, params shown
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (
        "PL21" in index
        and "PL22" in index
        and "⚠ SYNTHETIC DATA.</b> Innovation and segments" in index
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["runs"]) == 2 * len(NOTEBOOKS) == 12 and all(
        r["outputs"] for r in manifest["runs"]
    )
    assert "data/raw/sbs_r_nuts06_r2.tsv.gz" in manifest["inputs"]
    # resume: nothing to redo; then remove one output and exactly that run is redone
    results = run_batch(build_jobs(["PL22", "PL21"]), out=out, resume=True, progress=False)
    assert {r["status"] for r in results} == {"skipped"}
    (out / "PL21" / "02_innovation_drivers.html").unlink()
    results = run_batch(build_jobs(["PL22", "PL21"]), out=out, resume=True, progress=False)
    redone = [(r["region"], r["notebook"]) for r in results if r["status"] == "ok"]
    assert redone == [("PL21", "02_innovation_drivers")]


@pytest.mark.kernel
def test_failing_region_does_not_stop_the_others(tmp_path, params_dir):
    # CH01 (Région lémanique) is a valid NUTS2 region, so it passes the checks before any kernel
    # starts, but the Eurostat file has no Swiss data: its notebook fails inside the kernel.
    (params_dir / "CH01.yaml").write_text("region: CH01\n", encoding="utf-8")
    out = tmp_path / "reports"
    code = main(
        [
            "run",
            "--regions",
            "PL22,CH01",
            "--notebooks",
            "01_specialisation",
            "--params",
            str(params_dir),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert code == 1
    assert (out / "PL22" / "01_specialisation.html").exists()
    assert (out / "PL22" / "brief.html").exists()
    assert not (out / "PL22" / "brief_pl.html").exists()  # language: en (the default)
    assert (out / "CH01" / "01_specialisation.failed.ipynb").exists()
    assert not (out / "CH01" / "01_specialisation.ipynb").exists()
    assert not (out / "CH01" / ".01_specialisation.done.json").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "FAILED" in index and "CH01" in index
    assert "CH01/01_specialisation.failed.ipynb" in index


@pytest.mark.kernel
def test_language_pl_writes_both_briefs_and_the_index_links_them(tmp_path, params_dir):
    from clusterlib.batch.brief_text import md_html
    from clusterlib.chapters.metrics import read_findings

    defaults = params_dir / "defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    defaults.write_text(text.replace("\nlanguage: en\n", "\nlanguage: pl\n"), encoding="utf-8")
    out = tmp_path / "reports"
    argv = ["run", "--regions", "PL22", "--notebooks", "01_specialisation", "--params",
            str(params_dir), "--out", str(out), "--no-progress"]  # fmt: skip
    assert main(argv) == 0
    en = (out / "PL22" / "brief.html").read_text(encoding="utf-8")
    pl = (out / "PL22" / "brief_pl.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en and '<html lang="pl">' in pl
    assert "<h3>Strengths</h3>" in en and "<h3>Mocne strony</h3>" in pl
    # the chapter's findings, stored with their message ids, said in each language
    for f in read_findings(out / "PL22" / "metrics.json")["specialisation"]:
        if f.key in ("employment", "lq", "top_divisions"):
            assert md_html(f.text) in en and md_html(f.in_language("pl")) in pl, f.key
            assert md_html(f.text) not in pl
    assert 'lang="en"' not in pl  # nothing quoted in English
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="PL22/brief.html">strategy brief</a>' in index
    assert '<a href="PL22/brief_pl.html" hreflang="pl">brief (polski)</a>' in index


def test_unknown_cluster_is_refused_before_any_kernel(tmp_path, params_dir, capsys):
    (params_dir / "PL21.yaml").write_text(
        "region: PL21\ncluster: no such cluster\n", encoding="utf-8"
    )
    out = tmp_path / "reports"
    argv = ["run", "--regions", "PL21", "--params", str(params_dir), "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "PL21.yaml, key 'cluster': unknown cluster 'no such cluster'" in err
    assert not out.exists()


@pytest.mark.kernel
def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "reports"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        results = run_batch(
            build_jobs(["PL22"], notebooks=("03_firm_segments",)),
            out=out,
            dask=cluster.scheduler_address,
            progress=False,
        )
    assert [r["status"] for r in results] == ["ok"]
    assert (out / "PL22" / "03_firm_segments.html").exists()


def test_parameter_validation(params_dir):
    (params_dir / "PL22.yaml").write_text("region: PL22\nyeer: 2014\n")
    with pytest.raises(ParameterError, match=r"PL22.yaml, key 'yeer': not a parameter"):
        build_jobs(["PL22"], params_dir=params_dir)
    (params_dir / "PL22.yaml").write_text("region: PL22\nyear: '2014'\n")
    with pytest.raises(ParameterError, match=r"PL22.yaml, key 'year': expected int .* found str"):
        build_jobs(["PL22"], params_dir=params_dir)
    (params_dir / "PL22.yaml").write_text("region: PL22\nclusterr: x\n")
    with pytest.raises(ParameterError, match=r"PL22.yaml, key 'clusterr': not a parameter"):
        build_jobs(["PL22"], params_dir=params_dir)
    (params_dir / "PL22.yaml").write_text("region: PL22\nyear: !!python/object:os.system x\n")
    with pytest.raises(ParameterError, match="not valid YAML"):  # safe_load refuses objects
        build_jobs(["PL22"], params_dir=params_dir)
    with pytest.raises(ParameterError, match=r"unknown region 'PL99'"):
        build_jobs(["PL99"], params_dir=params_dir)


@pytest.mark.parametrize("code", ["../etc", "pl22", "PL22/..", "P", ""])
def test_region_codes_are_validated_before_paths(code):
    with pytest.raises(ParameterError, match="is not a NUTS code"):
        check_region_code(code)


def test_cli_rejects_bad_params_before_any_kernel(tmp_path, params_dir, capsys):
    (params_dir / "defaults.yaml").write_text("seed: zero\n")
    out = tmp_path / "reports"
    assert main(["run", "--all", "--params", str(params_dir), "--out", str(out)]) == 2
    assert "defaults.yaml, key 'seed': expected int" in capsys.readouterr().err
    assert not out.exists()


def test_code_change_invalidates_resume(tmp_path, monkeypatch):
    from clusterlib.batch import runner

    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    a = runner.input_hash(job, {"x": "1"}, "0.1.0")
    monkeypatch.setattr(runner, "code_hash", lambda: "changed")  # the name runner uses
    assert runner.input_hash(job, {"x": "1"}, "0.1.0") != a


def test_kernel_start_failure_is_retried_once(tmp_path, monkeypatch):
    # first call: the kernel dies before any cell runs; second call: success (a stub that writes
    # the output notebook like papermill would). A cell error is not retried.
    import nbformat

    from clusterlib.batch import runner

    calls = []

    def fake_execute(input_path, output_path, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        nb = nbformat.read(input_path, as_version=4)
        nbformat.write(nb, output_path)

    monkeypatch.setattr(runner.papermill, "execute_notebook", fake_execute)
    monkeypatch.setattr("clusterlib.batch.render.render_html", lambda path, **kw: "<html></html>")
    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    result = runner.run_job(job, str(tmp_path), "digest")
    assert result["status"] == "ok" and len(calls) == 2
    assert (tmp_path / "PL22" / ".03_firm_segments.done.json").exists()

    calls.clear()

    def always_dies(input_path, output_path, **kwargs):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(runner.papermill, "execute_notebook", always_dies)
    result = runner.run_job(job, str(tmp_path / "b"), "digest")
    assert result["status"] == "failed" and len(calls) == 2  # one retry, then reported
    assert "Kernel died" in result["error"]


@pytest.mark.kernel
@pytest.mark.parametrize(
    "notebook,params,pattern",
    [
        ("01_specialisation", {"region": "PL99"}, r"key 'region': unknown region 'PL99'"),
        ("03_firm_segments", {"method": "kmean"}, r"option 'method'.*Did you mean 'kmeans'"),
    ],
)
def test_plain_papermill_gets_the_runners_errors(tmp_path, notebook, params, pattern):
    # papermill, JupyterLab and nbval bypass the runner: the notebook checks its own parameters
    # in its first cell, before any work, with the same error as `clusterlib run`.
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(config.notebooks_dir() / f"{notebook}.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters=params,
            progress_bar=False,
            cwd=str(config.notebooks_dir()),
        )
    assert err.value.ename in ("ParameterError", "OptionError")
    assert __import__("re").search(pattern, err.value.evalue)
    assert err.value.exec_count == 3  # parameters, injected parameters, then the check


def test_every_nuts2_region_of_the_data_passes_the_checks():
    # `clusterlib run --nuts2 all` builds jobs for every NUTS2 region with data, including legacy
    # NUTS codes and regions without shapes (ES70): none may be refused by the region check
    from clusterlib.cli.commands import _data_regions

    regions = _data_regions(None)
    jobs = build_jobs(regions, notebooks=("01_specialisation",), generated=True)
    assert len(jobs) == len(regions) > 250 and "ES70" in regions
    # no manufacturing cell of CY00, MT00, IE01 and IE02 in 2014: their chapter could not be built
    assert not {"CY00", "MT00", "IE01", "IE02"} & set(regions)


def test_a_country_without_data_is_refused_naming_it_and_the_year(tmp_path, capsys):
    from clusterlib.cli import main

    assert main(["run", "--country", "MT", "--out", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "--country MT: no NUTS2 region of MT has the employment cells" in err
    assert "(year 2014 from " in err and "defaults.yaml" in err and not list(tmp_path.iterdir())


# --- one run, in process, with papermill replaced: every output and every fault ---------------
#
# FakePapermill stands in for papermill.execute_notebook: it writes the executed notebook (cells
# numbered as if run), a metrics file and one export into the run's private folder, like the real
# notebooks do. The tests then make each step fail in turn and check that nothing looks complete.


class FakePapermill:
    def __init__(self, *, fail=None, ran=True):
        self.calls, self.fail, self.ran = [], fail, ran

    def __call__(self, input_path, output_path, **kwargs):
        import nbformat

        self.calls.append((input_path, output_path, kwargs))
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
        if self.ran:
            nb.cells[0].execution_count = 1
        nbformat.write(nb, output_path)
        tmp = kwargs["parameters"]["output_dir"]
        with open(f"{tmp}/metrics.json", "w") as f:
            f.write('{"lq": 2.5}')
        __import__("os").makedirs(f"{tmp}/exports", exist_ok=True)
        with open(f"{tmp}/exports/table.csv", "w") as f:
            f.write("a,b\n1,2\n")
        if self.fail is not None:
            raise self.fail


@pytest.fixture
def one_job(monkeypatch):
    from clusterlib.batch import runner

    monkeypatch.setattr("clusterlib.batch.render.render_html",
                        lambda path, **kw: f"<html>{kw['region']} {kw['name']} {kw['title']}</html>")  # fmt: skip
    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    return runner, job


def _left_over(rdir):
    return sorted(p.name for p in rdir.iterdir() if p.name.startswith(".tmp"))


def test_run_job_moves_every_output_and_writes_the_marker_last(tmp_path, one_job, monkeypatch):
    from clusterlib.batch.kernels import IPCKernelManager

    runner, job = one_job
    fake = FakePapermill()
    monkeypatch.setattr(runner.papermill, "execute_notebook", fake)
    rdir = tmp_path / "PL22"
    (rdir / "exports").mkdir(parents=True)
    (rdir / "exports" / "other.csv").write_text("kept")  # another notebook's export
    (rdir / "03_firm_segments.failed.ipynb").write_text("{}")  # an earlier failure
    result = runner.run_job(job, str(tmp_path), "d1", timeout=77)
    files = ["03_firm_segments.ipynb", "03_firm_segments.html", ".03_firm_segments.metrics.json",
             "exports/table.csv"]  # fmt: skip
    assert {k: result[k] for k in ("region", "notebook", "name", "status", "error", "files")} == {
        "region": "PL22", "notebook": "03_firm_segments", "name": job.name, "status": "ok",
        "error": "", "files": files,
    }  # fmt: skip
    assert result["parameters"] == job.parameters and "traceback" not in result
    assert isinstance(result["seconds"], float) and result["seconds"] == round(result["seconds"], 2)
    assert json.loads((rdir / ".03_firm_segments.done.json").read_text()) == {
        "input_hash": "d1", "files": files, "parameters": job.parameters,
    }  # fmt: skip
    assert (rdir / "03_firm_segments.html").read_text() == (
        f"<html>PL22 {job.name} 03_firm_segments</html>"
    )
    assert (rdir / ".03_firm_segments.metrics.json").read_text() == '{"lq": 2.5}'
    assert (rdir / "exports" / "table.csv").read_text() == "a,b\n1,2\n"
    assert (rdir / "exports" / "other.csv").read_text() == "kept"
    assert not (rdir / "03_firm_segments.failed.ipynb").exists()
    assert _left_over(rdir) == [] and runner.is_complete(tmp_path, job, "d1")
    ((nb_in, nb_out, kw),) = fake.calls
    assert nb_in == str(config.notebooks_dir() / "03_firm_segments.ipynb")
    assert nb_out.startswith(str(rdir / ".tmp-03_firm_segments-"))
    assert kw["parameters"] == {
        **job.parameters,
        "output_dir": str(__import__("pathlib").Path(nb_out).parent),
    }
    assert kw["kernel_name"] == "python3" and kw["execution_timeout"] == 77
    assert kw["progress_bar"] is False and kw["request_save_on_cell_execute"] is False
    assert kw["cwd"] == str(config.notebooks_dir())
    assert kw["kernel_manager_class"] is IPCKernelManager


def _assert_nothing_complete(runner, job, out, rdir):
    assert not (rdir / ".03_firm_segments.done.json").exists()
    assert not runner.is_complete(out, job, "d2")
    assert _left_over(rdir) == []


@pytest.mark.parametrize("step", range(6))
def test_a_failed_move_leaves_no_marker(tmp_path, one_job, monkeypatch, step):
    # os.replace is called for the metrics, the export, the notebook, the HTML, then the marker
    # (write_atomic): fail each in turn, after a complete earlier run of the same job
    import os

    runner, job = one_job
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())
    assert runner.run_job(job, str(tmp_path), "d1")["status"] == "ok"
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == step + 1:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = runner.run_job(job, str(tmp_path), "d2")
    rdir = tmp_path / "PL22"
    if step == 5:  # five moves: the sixth call never comes and the run completes
        assert result["status"] == "ok" and len(calls) == 5
        assert runner.is_complete(tmp_path, job, "d2")
        return
    moves = [c for c in calls if not str(c).endswith(".failed.ipynb")]
    assert result["status"] == "failed" and len(moves) == step + 1  # not re-run (it was once)
    assert result["error"] == "OSError: [Errno 28] No space left on device"
    assert "OSError" in result["traceback"]
    _assert_nothing_complete(runner, job, tmp_path, rdir)
    assert not runner.is_complete(tmp_path, job, "d1")  # the earlier run's marker is gone too
    # the executed notebook is kept for inspection unless it was already moved
    kept = (rdir / "03_firm_segments.failed.ipynb").exists()
    assert kept == (step < 3) and result["files"] == (
        ["03_firm_segments.failed.ipynb"] if kept else []
    )


def test_render_or_marker_failure_leaves_no_marker(tmp_path, one_job, monkeypatch):
    runner, job = one_job
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())

    def bad_render(path, **kw):
        raise ValueError("formula $\\frac$ cannot be converted")

    monkeypatch.setattr("clusterlib.batch.render.render_html", bad_render)
    result = runner.run_job(job, str(tmp_path), "d2")
    assert result["error"] == "ValueError: formula $\\frac$ cannot be converted"
    rdir = tmp_path / "PL22"
    _assert_nothing_complete(runner, job, tmp_path, rdir)
    assert result["files"] == ["03_firm_segments.failed.ipynb"]

    monkeypatch.setattr("clusterlib.batch.render.render_html", lambda path, **kw: "<html/>")

    def no_marker(path, obj):
        raise PermissionError("read-only")

    monkeypatch.setattr(runner, "_write_json_atomic", no_marker)
    result = runner.run_job(job, str(tmp_path), "d2")
    assert result["status"] == "failed" and result["error"] == "PermissionError: read-only"
    _assert_nothing_complete(runner, job, tmp_path, rdir)


def test_cell_error_is_reported_once_with_its_name(tmp_path, one_job, monkeypatch):
    from papermill.exceptions import PapermillExecutionError

    runner, job = one_job
    err = PapermillExecutionError(3, 2, "Exec", "ParameterError", "seed must be an int", [])
    fake = FakePapermill(fail=err)
    monkeypatch.setattr(runner.papermill, "execute_notebook", fake)
    result = runner.run_job(job, str(tmp_path), "d2")
    assert len(fake.calls) == 1  # a cell error is not a kernel start failure: no retry
    assert result["error"] == "ParameterError: seed must be an int" and "traceback" not in result
    assert result["files"] == ["03_firm_segments.failed.ipynb"]
    _assert_nothing_complete(runner, job, tmp_path, tmp_path / "PL22")


def test_crash_after_cells_ran_is_not_retried_and_interrupt_propagates(tmp_path, one_job,
                                                                       monkeypatch):  # fmt: skip
    runner, job = one_job
    fake = FakePapermill(fail=RuntimeError("kernel died"), ran=True)
    monkeypatch.setattr(runner.papermill, "execute_notebook", fake)
    result = runner.run_job(job, str(tmp_path), "d2")
    assert len(fake.calls) == 1 and result["error"] == "RuntimeError: kernel died"
    fake = FakePapermill(fail=RuntimeError("no kernel"), ran=False)
    monkeypatch.setattr(runner.papermill, "execute_notebook", fake)
    result = runner.run_job(job, str(tmp_path), "d2")
    assert len(fake.calls) == 2 and result["error"] == "RuntimeError: no kernel"
    fake = FakePapermill(fail=KeyboardInterrupt(), ran=True)
    monkeypatch.setattr(runner.papermill, "execute_notebook", fake)
    with pytest.raises(KeyboardInterrupt):
        runner.run_job(job, str(tmp_path), "d2")
    rdir = tmp_path / "PL22"
    _assert_nothing_complete(runner, job, tmp_path, rdir)
    assert (rdir / "03_firm_segments.failed.ipynb").exists()


def test_kernel_start_failure_detection(tmp_path):
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from clusterlib.batch.runner import _kernel_start_failed

    err = PapermillExecutionError(1, 1, "Exec", "E", "v", [])
    assert _kernel_start_failed(err, tmp_path / "none.ipynb") is False
    assert _kernel_start_failed(RuntimeError(), tmp_path / "none.ipynb") is True  # unreadable
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("m"),
                                         nbformat.v4.new_code_cell("x")])  # fmt: skip
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert _kernel_start_failed(RuntimeError(), tmp_path / "a.ipynb") is True
    nb.cells[1].execution_count = 1
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert _kernel_start_failed(RuntimeError(), tmp_path / "b.ipynb") is False


def test_is_complete_needs_the_marker_the_hash_and_every_file(tmp_path):
    from clusterlib.batch import runner

    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    assert runner.region_dir(tmp_path, job) == tmp_path / "PL22"
    marker = runner.done_marker(tmp_path, job)
    assert marker == tmp_path / "PL22" / ".03_firm_segments.done.json"
    assert not runner.is_complete(tmp_path, job, "h")  # no marker
    marker.parent.mkdir()
    marker.write_text("{not json")
    assert not runner.is_complete(tmp_path, job, "h")
    runner._write_json_atomic(marker, {"input_hash": "h", "files": ["a.html", "é.csv"]})
    assert marker.read_text(encoding="utf-8") == (
        '{\n  "files": [\n    "a.html",\n    "é.csv"\n  ],\n  "input_hash": "h"\n}\n'
    )
    assert not runner.is_complete(tmp_path, job, "h")  # the files are not there
    (tmp_path / "PL22" / "a.html").write_text("x")
    assert not runner.is_complete(tmp_path, job, "h")
    (tmp_path / "PL22" / "é.csv").write_text("x")
    assert runner.is_complete(tmp_path, job, "h")
    assert not runner.is_complete(tmp_path, job, "other")
    runner._write_json_atomic(marker, {"input_hash": "h"})  # no file list: nothing to check
    assert runner.is_complete(tmp_path, job, "h")


def test_input_hash_changes_with_each_input(monkeypatch):
    from clusterlib.batch import runner

    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    base = runner.input_hash(job, {"x": "1"}, "0.1.0")
    assert len(base) == 64 and base == runner.input_hash(job, {"x": "1"}, "0.1.0")
    other = build_jobs(["PL21"], notebooks=("03_firm_segments",))[0]
    changed = [
        runner.input_hash(other, {"x": "1"}, "0.1.0"),
        runner.input_hash(job, {"x": "2"}, "0.1.0"),
        runner.input_hash(job, {"x": "1"}, "0.2.0"),
    ]
    monkeypatch.setattr(runner, "sha256_file", lambda p: "another notebook")
    changed.append(runner.input_hash(job, {"x": "1"}, "0.1.0"))
    assert len({base, *changed}) == 5


def _private_tqdm_lock(monkeypatch):
    # tqdm's default lock is a multiprocessing lock shared by every process forked from the one
    # that made it. make mutation forks a process per mutant and stops one that runs too long: if
    # it held that lock, every later process waited for it forever. A thread lock is private.
    import threading

    import tqdm

    monkeypatch.setattr(tqdm.tqdm, "_lock", threading.RLock(), raising=False)
    monkeypatch.setattr(tqdm.tqdm, "monitor_interval", 0)  # and no monitor thread


def test_run_batch_resumes_orders_and_reports_in_process(tmp_path, one_job, monkeypatch, capsys):
    # the worker pool is replaced by an in-process stream that yields in reverse order; the
    # report writers record what they are given
    import os

    from clusterlib import __version__
    from clusterlib.batch import brief, report

    runner, _ = one_job
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())
    _private_tqdm_lock(monkeypatch)
    seen = {}

    def stream(jobs, out, digests, n_jobs, timeout):
        seen.update(n_jobs=n_jobs, timeout=timeout, jobs=[(j.region, j.notebook) for j in jobs],
                    out=out, digests=dict(digests))  # fmt: skip
        for j in reversed(jobs):
            yield runner.run_job(j, str(out), digests[j], timeout=timeout)

    calls, swept = [], []
    monkeypatch.setattr(runner, "_submit_local", stream)
    monkeypatch.setattr(runner, "sweep_stale", lambda out: swept.append(out))
    monkeypatch.setattr(report, "data_hashes", lambda: {"data.tsv": "h0"})
    monkeypatch.setattr(brief, "load_rules", lambda: "RULES")
    monkeypatch.setattr(report, "collect_metrics", lambda out, r: calls.append(("metrics", out, r)))
    monkeypatch.setattr(brief, "write_brief", lambda out, r, n, rules, language: calls.append(
        ("brief", out, r, n, rules, language)))  # fmt: skip
    monkeypatch.setattr(
        report,
        "write_index",
        lambda out, res, index_figure: calls.append(
            ("index", out, [(r["region"], r["notebook"], r["status"]) for r in res], index_figure)
        ),
    )
    monkeypatch.setattr(report, "write_manifest", lambda out, res, hashes, digests, files: calls.append(
        ("manifest", out, len(res), hashes, digests)))  # fmt: skip
    jobs = build_jobs(["PL22", "PL21"], notebooks=("03_firm_segments", "02_innovation_drivers"))
    out = tmp_path / "new" / "reports"  # parents are made
    ticks = iter(range(0, 10_000, 3))  # each run's clock advances 3 s: "3.0s" on its line
    monkeypatch.setattr(runner.time, "perf_counter", lambda: float(next(ticks)))
    results = runner.run_batch(jobs, out=out, n_jobs=3, timeout=9, index_figure="fig")
    order = [(j.region, j.notebook) for j in jobs]
    assert [(r["region"], r["notebook"]) for r in results] == order  # the jobs' order
    assert {r["status"] for r in results} == {"ok"} and seen["n_jobs"] == 3 and seen["timeout"] == 9
    assert seen["jobs"] == order and seen["out"] == out and swept == [out]
    digests = {j: runner.input_hash(j, {"data.tsv": "h0"}, __version__) for j in jobs}
    assert seen["digests"] == digests
    assert calls == [
        ("metrics", out, "PL22"), ("brief", out, "PL22", jobs[0].name, "RULES", "en"),
        ("metrics", out, "PL21"), ("brief", out, "PL21", jobs[2].name, "RULES", "en"),
        ("index", out, [(r, n, "ok") for r, n in order], "fig"),
        ("manifest", out, 4, {"data.tsv": "h0"},
         {(j.region, j.notebook): digests[j] for j in jobs}),
    ]  # fmt: skip
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert len(lines) == 4 and lines[0].startswith("     ok  PL21  02_innovation_drivers  ")
    # one line per run, in the order they finished, with the run's own seconds
    done = {(r["region"], r["notebook"]): r["seconds"] for r in results}
    assert lines == [f"     ok  {r}  {n}  {done[r, n]:.1f}s" for r, n in reversed(order)]
    assert set(done.values()) == {3.0}
    assert "4/4 [" in printed.err and "run/s" in printed.err  # the bar counts runs, on stderr
    # one step per run: past its total tqdm would print "6run [", "8run ["
    assert not __import__("re").search(r"\d+run \[", printed.err)
    assert "PL22 03_firm_segments: ok" in printed.err

    # resume: one run is invalidated (its HTML deleted); only it runs again, the rest are skipped
    (out / "PL21" / "03_firm_segments.html").unlink()
    calls.clear()
    again = runner.run_batch(jobs, out=out, resume=True, progress=False)
    assert seen["jobs"] == [("PL21", "03_firm_segments")] and seen["timeout"] == 600
    assert seen["n_jobs"] == (os.cpu_count() or 1)  # default: one worker per core
    monkeypatch.setattr(runner.os, "cpu_count", lambda: None)  # unknown: one worker
    runner.run_batch(jobs[:1], out=out, progress=False)
    assert seen["n_jobs"] == 1
    assert [r["status"] for r in again] == ["skipped", "skipped", "ok", "skipped"]
    assert again[0]["files"] == results[0]["files"] and again[0]["error"] == ""
    assert again[0]["parameters"] == jobs[0].parameters and again[0]["name"] == jobs[0].name
    printed = capsys.readouterr()
    assert printed.err == printed.out == ""  # progress=False: silent
    # without resume every run is done again
    runner.run_batch(jobs, out=out, progress=False)
    assert seen["jobs"] == order


def test_run_batch_failed_run_is_printed_with_its_error(tmp_path, one_job, monkeypatch, capsys):
    from clusterlib.batch import brief, report

    runner, _ = one_job
    _private_tqdm_lock(monkeypatch)
    monkeypatch.setattr(runner.papermill, "execute_notebook",
                        FakePapermill(fail=RuntimeError("boom")))  # fmt: skip

    def stream(jobs, out, digests, n_jobs, timeout):
        for j in jobs:
            yield runner.run_job(j, str(out), digests[j], timeout=timeout)

    monkeypatch.setattr(runner, "_submit_local", stream)
    for mod, name in [(report, "collect_metrics"), (brief, "write_brief"),
                      (report, "write_index"), (report, "write_manifest")]:  # fmt: skip
        monkeypatch.setattr(mod, name, lambda *a, **k: None)
    jobs = build_jobs(["PL22"], notebooks=("03_firm_segments",))
    (res,) = runner.run_batch(jobs, out=tmp_path)
    assert res["status"] == "failed" and res["error"] == "RuntimeError: boom"
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(" failed  PL22  03_firm_segments  ") and line.endswith(
        "s  RuntimeError: boom"
    )


class _Done:
    """A finished future: its result, or the exception it raised."""

    def __init__(self, fn, *args, **kwargs):
        try:
            self.value, self.error = fn(*args, **kwargs), None
        except Exception as exc:  # noqa: BLE001 - kept for result()
            self.value, self.error = None, exc

    def result(self):
        if self.error is not None:
            raise self.error
        return self.value


class _Pool:
    """Stands in for ProcessPoolExecutor: runs each job at submit, records how it was made."""

    made = []

    def __init__(self, *, max_workers, mp_context, initializer, initargs):
        self.made.append((max_workers, mp_context.get_start_method(), initializer, initargs))
        self.shut = False

    def submit(self, fn, *args, **kwargs):
        return _Done(fn, *args, **kwargs)

    def shutdown(self, wait):
        self.shut = wait


def test_local_pool_runs_every_job_and_reports_a_crash(tmp_path, one_job, monkeypatch):
    from clusterlib.batch.kernels import _worker_init

    runner, _ = one_job
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())
    monkeypatch.setattr(runner, "ProcessPoolExecutor", _Pool)
    monkeypatch.setattr(runner, "as_completed", lambda futures: list(futures))
    real = runner.run_job

    def crash_on_pl21(job, out, digest, *, timeout):
        if job.region == "PL21":
            raise RuntimeError("worker died")
        return real(job, out, digest, timeout=timeout)

    monkeypatch.setattr(runner, "run_job", crash_on_pl21)
    jobs = build_jobs(["PL22", "PL21"], notebooks=("03_firm_segments",))
    _Pool.made.clear()
    got = list(runner._submit_local(jobs, tmp_path, {j: "d" for j in jobs}, 3, 5))
    assert _Pool.made == [(3, "spawn", _worker_init, (os.getpid(),))]  # the runner's own id
    assert [r["status"] for r in got] == ["ok", "failed"]
    assert got[1] == {"region": "PL21", "notebook": "03_firm_segments", "name": jobs[1].name,
                      "parameters": jobs[1].parameters, "status": "failed",
                      "error": "worker crashed: worker died", "files": []}  # fmt: skip
    assert runner.is_complete(tmp_path, jobs[0], "d")


def test_local_pool_is_stopped_when_the_caller_stops(tmp_path, one_job, monkeypatch):
    runner, _ = one_job
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())
    monkeypatch.setattr(runner, "ProcessPoolExecutor", _Pool)
    monkeypatch.setattr(runner, "as_completed", lambda futures: list(futures))
    stopped = []
    monkeypatch.setattr(runner, "_stop_workers", lambda pool: stopped.append(pool))
    jobs = build_jobs(["PL22", "PL21"], notebooks=("03_firm_segments",))
    stream = runner._submit_local(jobs, tmp_path, {j: "d" for j in jobs}, 1, 5)
    next(stream)
    stream.close()  # an interrupt in run_batch closes the stream
    assert len(stopped) == 1 and not stopped[0].shut
    finished = runner._submit_local(jobs, tmp_path, {j: "d" for j in jobs}, 1, 5)
    assert len(list(finished)) == 2 and len(stopped) == 1  # a full run shuts down normally


def test_dask_stream_submits_each_job_impure(tmp_path, one_job, monkeypatch):
    import distributed

    runner, _ = one_job
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())
    seen = {}

    class Client:
        def __init__(self, address):
            seen["address"] = address

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            seen["closed"] = True

        def submit(self, fn, *args, pure=True, **kwargs):
            seen.setdefault("pure", []).append(pure)
            seen.setdefault("timeout", []).append(kwargs["timeout"])
            return _Done(fn, *args, **kwargs)

    monkeypatch.setattr(distributed, "Client", Client)
    monkeypatch.setattr(distributed, "as_completed", lambda futures: iter(futures))
    jobs = build_jobs(["PL22", "PL21"], notebooks=("03_firm_segments",))
    got = list(runner._submit_dask(jobs, tmp_path, {j: "d" for j in jobs}, "tcp://x:1", 42))
    assert [(r["region"], r["status"]) for r in got] == [("PL22", "ok"), ("PL21", "ok")]
    assert seen == {"address": "tcp://x:1", "pure": [False, False], "timeout": [42, 42],
                    "closed": True}  # fmt: skip
    assert all(runner.is_complete(tmp_path, j, "d") for j in jobs)  # each job's own digest
    # run_batch hands the scheduler's address and the timeout to it, never to the local pool
    monkeypatch.setattr(runner, "_submit_local", lambda *a: pytest.fail("local pool used"))
    monkeypatch.setattr(
        runner,
        "_submit_dask",
        lambda todo, out, digests, address, timeout: iter(
            [runner.run_job(j, str(out), digests[j]) for j in todo]
            if (address, timeout) == ("tcp://x:1", 600)
            else []
        ),
    )
    from clusterlib.batch import brief, report

    for mod, name in [(report, "collect_metrics"), (brief, "write_brief"),
                      (report, "write_index"), (report, "write_manifest")]:  # fmt: skip
        monkeypatch.setattr(mod, name, lambda *a, **k: None)
    _private_tqdm_lock(monkeypatch)
    results = runner.run_batch(jobs, out=tmp_path / "d", dask="tcp://x:1", progress=False)
    assert [r["status"] for r in results] == ["ok", "ok"]


def test_run_job_details_retry_message_traceback_cleanup_and_render_call(tmp_path, one_job,
                                                                          monkeypatch):  # fmt: skip
    from papermill.exceptions import PapermillExecutionError

    runner, job = one_job
    rendered = []

    def render(path, **kw):
        rendered.append((path.exists(), path.name, kw))
        return "<html/>"

    monkeypatch.setattr("clusterlib.batch.render.render_html", render)

    class FailsOnce(FakePapermill):
        def __call__(self, input_path, output_path, **kwargs):
            self.fail = RuntimeError("no kernel") if not self.calls else None
            self.ran = bool(self.calls)
            return super().__call__(input_path, output_path, **kwargs)

    once = FailsOnce()
    monkeypatch.setattr(runner.papermill, "execute_notebook", once)
    result = runner.run_job(job, str(tmp_path), "d")
    assert result["status"] == "ok" and result["error"] == "kernel start failed, retried: no kernel"
    assert [c[2]["execution_timeout"] for c in once.calls] == [600, 600]  # the default per cell
    assert 0 <= result["seconds"] < 60
    assert rendered == [(True, "03_firm_segments.ipynb", {
        "region": "PL22", "name": job.name, "title": "03_firm_segments",
        "parameters": job.parameters})]  # fmt: skip
    # a cell error before any cell finished is still a cell error: not retried
    err = PapermillExecutionError(0, 1, "Exec", "NameError", "x", [])
    fake = FakePapermill(fail=err, ran=False)
    monkeypatch.setattr(runner.papermill, "execute_notebook", fake)
    assert runner.run_job(job, str(tmp_path), "d")["status"] == "failed" and len(fake.calls) == 1

    # the traceback keeps the five outermost frames of a deep failure (distinct functions:
    # Python folds repeated recursive frames, which would hide the limit)
    def e():
        raise RuntimeError("deep")

    def d():
        e()

    def c():
        d()

    def b():
        c()

    class Deep(FakePapermill):
        def __call__(self, *args, **kwargs):
            super().__call__(*args, **kwargs)
            b()

    monkeypatch.setattr(runner.papermill, "execute_notebook", Deep())
    result = runner.run_job(job, str(tmp_path), "d")
    assert result["traceback"].count('  File "') == 5 and result["traceback"].endswith(
        "RuntimeError: deep\n"
    )
    # a private folder that cannot be removed does not turn a finished run into a failure
    import shutil

    real = shutil.rmtree

    def stubborn(path, ignore_errors=False, **kw):
        if not ignore_errors:
            raise PermissionError(f"cannot remove {path}")
        real(path, ignore_errors=True)

    monkeypatch.setattr(runner.shutil, "rmtree", stubborn)
    monkeypatch.setattr(runner.papermill, "execute_notebook", FakePapermill())
    assert runner.run_job(job, str(tmp_path), "d")["status"] == "ok"


def test_run_batch_interrupted_sweeps_and_reports_a_crash_without_seconds(tmp_path, one_job,
                                                                            monkeypatch, capsys):  # fmt: skip
    from clusterlib.batch import brief, report

    runner, _ = one_job
    _private_tqdm_lock(monkeypatch)
    swept = []
    monkeypatch.setattr(runner, "sweep_stale", lambda out: swept.append(out))
    for mod, name in [(report, "collect_metrics"), (brief, "write_brief"),
                      (report, "write_index"), (report, "write_manifest")]:  # fmt: skip
        monkeypatch.setattr(mod, name, lambda *a, **k: None)
    jobs = build_jobs(["PL22"], notebooks=("03_firm_segments",))
    crash = {"region": "PL22", "notebook": "03_firm_segments", "name": jobs[0].name,
             "parameters": jobs[0].parameters, "status": "failed", "error": "worker crashed: x",
             "files": []}  # fmt: skip
    monkeypatch.setattr(runner, "_submit_local", lambda *a: iter([crash]))
    runner.run_batch(jobs, out=tmp_path)
    (line,) = capsys.readouterr().out.splitlines()
    assert line == " failed  PL22  03_firm_segments  0.0s  worker crashed: x"  # no seconds: 0.0
    closed = []

    def interrupted(*args):
        try:
            yield crash
            raise KeyboardInterrupt
        finally:
            closed.append(True)

    monkeypatch.setattr(runner, "_submit_local", interrupted)
    swept.clear()
    with pytest.raises(KeyboardInterrupt):
        runner.run_batch(jobs, out=tmp_path, progress=False)
    assert swept == [tmp_path, tmp_path] and closed == [True]  # swept before and after


def test_local_pool_passes_the_timeout_and_waits_at_shutdown(tmp_path, one_job, monkeypatch):
    runner, _ = one_job
    made = []

    class Pool(_Pool):
        def __init__(self, **kw):
            super().__init__(**kw)
            made.append(self)

    seen = []
    monkeypatch.setattr(runner, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(runner, "as_completed", lambda futures: list(futures))
    monkeypatch.setattr(runner, "run_job", lambda job, out, digest, *, timeout: seen.append(
        (out, digest, timeout)) or {"status": "ok"})  # fmt: skip
    jobs = build_jobs(["PL22"], notebooks=("03_firm_segments",))
    assert list(runner._submit_local(jobs, tmp_path, {jobs[0]: "d"}, 1, 33)) == [{"status": "ok"}]
    assert seen == [(str(tmp_path), "d", 33)] and made[0].shut is True


def test_input_hash_is_the_documented_payload():
    # completion markers of earlier runs stay valid (resume) only while the payload is the same:
    # SHA-256 of the JSON, keys sorted, of notebook hash, parameters, data hashes, the files the
    # parameters name, the definition files (clusters, areas, actions), version, code
    import hashlib

    from clusterlib.batch import runner
    from clusterlib.io.cache import code_hash
    from clusterlib.io.files import file_sha256

    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    nb = config.notebooks_dir() / "03_firm_segments.ipynb"
    params = config.params_dir()
    definitions = {"actions.yaml": file_sha256(params / "actions.yaml"),
                   "areas.yaml": file_sha256(params / "areas.yaml"),
                   "clusters.yaml": file_sha256(params / "clusters.yaml")}  # fmt: skip
    payload = {"notebook": file_sha256(nb), "parameters": job.parameters, "data": {"x": "1"},
               "files": {}, "definitions": definitions, "version": "0.1.0",
               "code": code_hash()}  # fmt: skip
    text = json.dumps(payload, sort_keys=True)  # keys sorted at every level
    assert text.startswith('{"code": ') and '"parameters": {"region": "PL22", "seed": 0}' in text
    assert runner.input_hash(job, {"x": "1"}, "0.1.0") == hashlib.sha256(text.encode()).hexdigest()


def test_input_hash_with_the_files_already_hashed_is_the_same(tmp_path):
    from clusterlib.batch import runner

    data = tmp_path / "today.tsv"
    data.write_text("x\n")
    (job,) = build_jobs(["PL22"], notebooks=("01_specialisation",))
    job = dataclasses.replace(job, parameters={**job.parameters, "data_path": str(data)})
    files = runner.parameter_files(job.parameters)
    assert files == {str(data): hashlib.sha256(b"x\n").hexdigest()}
    assert runner.input_hash(job, {"x": "1"}, "0.1.0", files=files) == runner.input_hash(
        job, {"x": "1"}, "0.1.0"
    )
    assert runner.input_hash(job, {"x": "1"}, "0.1.0", files={}) != runner.input_hash(
        job, {"x": "1"}, "0.1.0"
    )  # the files given are what is hashed
