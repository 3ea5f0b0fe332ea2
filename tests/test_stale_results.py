"""Results never go stale: the cache key and a run's input hash cover every input (issue 23 §1).

Each test changes one input at a time (the data file's contents, clusters.yaml, areas.yaml,
actions.yaml, a file named by a parameter, the parameters, the package version, the library code)
and sees the key change and the result recomputed from the new input.
"""

import json
import shutil

import pandas as pd
import pytest

import clusterlib
from clusterlib import config
from clusterlib.batch import runner
from clusterlib.batch.params import build_jobs
from clusterlib.io import cache
from clusterlib.reference.clusters import load_clusters


@pytest.fixture
def params(tmp_path, monkeypatch):
    """A private copy of params/ as the parameter folder, and a private cache."""
    d = tmp_path / "params"
    shutil.copytree(config.PROJECT_ROOT / "params", d)
    monkeypatch.setenv("CLUSTERLIB_PARAMS", str(d))
    monkeypatch.setenv("CLUSTERLIB_CACHE", str(tmp_path / "cache"))
    return d


def _add_cluster(params_dir, name="glass", codes=("C23",)):
    text = (params_dir / "clusters.yaml").read_text(encoding="utf-8")
    (params_dir / "clusters.yaml").write_text(
        text + f"\n{name}:\n  industries: {list(codes)}\n", encoding="utf-8"
    )


def test_params_folder_follows_the_environment(params):
    assert config.params_dir() == params.resolve()
    _add_cluster(params)
    assert load_clusters()["glass"] == ("C23",)


def test_using_params_sets_and_restores(tmp_path, monkeypatch):
    monkeypatch.delenv("CLUSTERLIB_PARAMS", raising=False)
    with config.using_params(tmp_path):
        assert config.params_dir() == tmp_path.resolve()
    assert config.params_dir() == config.PROJECT_ROOT / "params"
    monkeypatch.setenv("CLUSTERLIB_PARAMS", "/somewhere")
    with config.using_params(tmp_path):
        assert config.params_dir() == tmp_path.resolve()
    assert config.params_dir() == config.Path("/somewhere")
    with config.using_params(None):
        assert config.params_dir() == config.Path("/somewhere")


def test_cached_table_follows_every_input(params, tmp_path, monkeypatch):
    """A table of every cluster (like the star table) through the cache, each input changed."""
    data = tmp_path / "data.csv"
    data.write_text("v\n1\n2\n", encoding="utf-8")
    monkeypatch.setattr(cache, "load_eurostat", lambda path: pd.read_csv(path))
    calls = []

    def per_cluster(frame, *, factor):
        calls.append(1)
        names = sorted(load_clusters())
        return pd.DataFrame({"cluster": names, "v": [int(frame["v"].sum()) * factor] * len(names)})

    def get(**kw):
        return cache.cached_table(per_cluster, data, factor=kw.get("factor", 1))

    first = get()
    assert list(first["v"].unique()) == [3] and len(calls) == 1
    pd.testing.assert_frame_equal(get(), first)
    assert len(calls) == 1  # a hit
    n = len(first)

    _add_cluster(params)  # the cluster set: a new row, not the stale table (the IndexError)
    t = get()
    assert len(calls) == 2 and len(t) == n + 1 and "glass" in set(t["cluster"])

    data.write_text("v\n1\n5\n", encoding="utf-8")  # the data file's contents
    assert list(get()["v"].unique()) == [6] and len(calls) == 3

    assert list(get(factor=2)["v"].unique()) == [12] and len(calls) == 4  # the arguments

    # the other definition files, the version and the code: each a miss (a recomputation)
    (params / "areas.yaml").write_text("areas: {}\n", encoding="utf-8")
    get()
    assert len(calls) == 5
    (params / "areas.yaml").write_text("areas: {x: 1}\n", encoding="utf-8")
    get()
    assert len(calls) == 6
    with (params / "actions.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# a comment changes the bytes\n")
    get()
    assert len(calls) == 7
    monkeypatch.setattr(clusterlib, "__version__", "99.0")
    get()
    assert len(calls) == 8
    monkeypatch.setattr(cache, "code_hash", lambda: "other code")
    get()
    assert len(calls) == 9
    get()
    assert len(calls) == 9  # and nothing else changes the key


def test_cache_path_is_the_documented_digest(params):
    import hashlib

    key = {"file": "abc", "kwargs": {"year": 2014}}
    full = {**key, "code": cache.code_hash(), "version": clusterlib.__version__,
            "definitions": cache.definitions_hash()}  # fmt: skip
    digest = hashlib.sha256(json.dumps(full, sort_keys=True, default=str).encode()).hexdigest()
    assert cache.cache_path("t", key).name == f"t-{digest[:32]}.parquet"
    defs = cache.definitions_hash()
    assert set(defs) == {"clusters.yaml", "areas.yaml", "actions.yaml"}
    assert len(defs["areas.yaml"]) == len(defs["clusters.yaml"]) == 64
    (params / "areas.yaml").unlink()  # an optional file: absent, it is None in the key
    assert cache.definitions_hash()["areas.yaml"] is None


def test_input_hash_follows_every_input(params, tmp_path, monkeypatch):
    survey = tmp_path / "survey.csv"
    survey.write_text("firm_id\n1\n", encoding="utf-8")
    job = build_jobs(["PL22"], notebooks=("03_firm_segments",))[0]
    job = runner.Job(job.region, job.notebook, {**job.parameters, "survey_path": str(survey)})
    seen = [runner.input_hash(job, {"x": "1"}, "0.1.0")]

    def changed():
        h = runner.input_hash(job, {"x": "1"}, "0.1.0")
        assert h not in seen
        seen.append(h)

    survey.write_text("firm_id\n2\n", encoding="utf-8")  # a file named by a parameter
    changed()
    _add_cluster(params)
    changed()
    (params / "areas.yaml").write_text("areas: {}\n", encoding="utf-8")
    changed()
    with (params / "actions.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    changed()
    monkeypatch.setattr(runner, "code_hash", lambda: "other code")
    changed()
    for h in (
        runner.input_hash(job, {"x": "2"}, "0.1.0"),  # the data
        runner.input_hash(job, {"x": "1"}, "0.2.0"),  # the version
        runner.input_hash(
            runner.Job("PL22", job.notebook, {**job.parameters, "seed": 1}), {"x": "1"}, "0.1.0"
        ),  # the parameters
    ):
        assert h not in seen
        seen.append(h)
    assert runner.input_hash(job, {"x": "1"}, "0.1.0") == seen[5]  # deterministic


def test_parameter_files_hash_every_place_a_relative_path_may_be_read(params, tmp_path,
                                                                      monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("a\n", encoding="utf-8")
    (params / "s.csv").write_text("b\n", encoding="utf-8")
    got = runner.parameter_files({"survey_path": "s.csv", "seed": 0})
    assert set(got) == {str(tmp_path / "s.csv"), str(params.resolve() / "s.csv")}
    assert runner.parameter_files({"weights": "nowhere.yaml"}) == {"weights:nowhere.yaml": None}
    assert runner.parameter_files({"survey_path": ""}) == {}


def test_cli_run_reads_clusters_and_actions_of_its_params_folder(params, tmp_path, monkeypatch):
    """``clusterlib run --params DIR``: the checks, the runner and its kernels see DIR's files."""
    from clusterlib.batch import brief
    from clusterlib.cli import main

    own = tmp_path / "own"
    shutil.copytree(params, own)
    monkeypatch.delenv("CLUSTERLIB_PARAMS")
    _add_cluster(own, name="glass only here")
    (own / "PL22.yaml").write_text("region: PL22\ncluster: glass only here\n", encoding="utf-8")
    rules = (
        (own / "actions.yaml")
        .read_text(encoding="utf-8")
        .replace("id: specialised", "id: specialised-here")
    )
    (own / "actions.yaml").write_text(rules, encoding="utf-8")
    seen = {}

    def fake_run_batch(jobs, **kw):
        import os

        seen["env"] = os.environ.get("CLUSTERLIB_PARAMS")
        seen["cluster"] = jobs[0].parameters["cluster"]
        seen["rules"] = [r.id for r in brief.load_rules()]
        return []

    monkeypatch.setattr(runner, "run_batch", fake_run_batch)
    out = tmp_path / "out"
    argv = ["run", "--regions", "PL22", "--notebooks", "01_specialisation"]
    assert main([*argv, "--params", str(own), "--out", str(out), "--no-progress"]) == 0
    assert seen["env"] == str(own.resolve()) and seen["cluster"] == "glass only here"
    assert "specialised-here" in seen["rules"]
    assert "CLUSTERLIB_PARAMS" not in __import__("os").environ  # restored after the run


def test_cli_params_folder_without_definitions_is_refused(params, tmp_path, capsys):
    from clusterlib.cli import main

    own = tmp_path / "own"
    own.mkdir()
    (own / "PL22.yaml").write_text("region: PL22\n", encoding="utf-8")
    assert main(["run", "--regions", "PL22", "--params", str(own), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "has no clusters.yaml and no actions.yaml" in err and str(own) in err


def test_yaml_parsed_once_per_text_never_stale(tmp_path):
    """A file read again with the same text is not parsed again; a changed text is; callers
    cannot change what the next caller gets; a bad file raises each time, naming itself."""
    from clusterlib.errors import DataFormatError
    from clusterlib.yamlfile import _parsed, load_yaml

    f = tmp_path / "a.yaml"
    f.write_text("x: [1, 2]\n", encoding="utf-8")
    first = load_yaml(f)
    hits = _parsed.cache_info().hits
    first["x"].append(3)  # the caller's own copy
    assert load_yaml(f) == {"x": [1, 2]}
    assert _parsed.cache_info().hits == hits + 1
    f.write_text("x: [1, 2, 4]\n", encoding="utf-8")  # same size class, new text
    assert load_yaml(f) == {"x": [1, 2, 4]}
    for name in ("b.yaml", "c.yaml"):  # the same bad text in two files: each error names its own
        bad = tmp_path / name
        bad.write_text("x: 1\nx: 2\n", encoding="utf-8")
        with pytest.raises(DataFormatError, match=rf"{name}, line 2: .*duplicate key 'x'"):
            load_yaml(bad)


def test_action_rules_checked_once_per_text_never_stale(params):
    """load_rules checks a file's text once; a rewritten actions.yaml gives its new rules, and a
    broken copy elsewhere is refused naming that copy."""
    from clusterlib.batch.brief import _checked_rules, load_rules
    from clusterlib.errors import DataFormatError

    path = params / "actions.yaml"
    before = load_rules(path)
    hits = _checked_rules.cache_info().hits
    assert load_rules(path) == before
    assert _checked_rules.cache_info().hits == hits + 1
    text = path.read_text(encoding="utf-8")
    assert before[0].above == 1.25
    path.write_text(text.replace("above: 1.25", "above: 1.5", 1), encoding="utf-8")
    after = load_rules(path)
    assert [r.id for r in after] == [r.id for r in before]
    assert after[0].above == 1.5
    copy = params / "copy.yaml"
    copy.write_text(text.replace("swot: ", "swot: nonsense-", 1), encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"copy\.yaml, rule 1 .*field 'swot'"):
        load_rules(copy)
