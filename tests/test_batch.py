"""The batch runner end to end: two regions, a failing region, resume, Dask, parameter checks."""

import json
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
    assert "PL21" in index and "PL22" in index and "Synthetic survey" in index
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["runs"]) == 2 * len(NOTEBOOKS) == 8 and all(
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
    assert (out / "CH01" / "01_specialisation.failed.ipynb").exists()
    assert not (out / "CH01" / "01_specialisation.ipynb").exists()
    assert not (out / "CH01" / ".01_specialisation.done.json").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "FAILED" in index and "CH01" in index
    assert "CH01/01_specialisation.failed.ipynb" in index


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
    from clusterlib.cli import _data_regions

    regions = _data_regions(None)
    jobs = build_jobs(regions, notebooks=("01_specialisation",), generated=True)
    assert len(jobs) == len(regions) > 250 and "ES70" in regions
