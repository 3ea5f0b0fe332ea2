"""Hand-made cases: the brief's SWOT links to the numbers they rest on; the index after a resume.

Issue 23 §5: which SWOT line links to which report anchor (not only that links exist), and what
index.html shows (links, summary line) when a --resume skipped runs.
"""

import json
import re

from clusterlib.batch import runner
from clusterlib.batch.brief import ANCHORS, Rule, lookup, render_brief
from clusterlib.batch.params import build_jobs
from clusterlib.batch.report import write_index
from clusterlib.chapters.metrics import Estimate


def _quadrants(page: str) -> dict[str, list[str]]:
    swot = page.split("<h2>4. SWOT</h2>", 1)[1].split("<h2>", 1)[0]
    out = {}
    for title, body in re.findall(r"<h3>(\w+)</h3><ul>(.*?)</ul>", swot):
        out[title] = re.findall(r"<li>(.*?)</li>", body)
    return out


def test_each_swot_line_links_to_the_number_it_rests_on():
    metrics = {
        "custom": {
            "lq": Estimate(1.5, report="01_specialisation.html#Location-quotient"),
            "rate": Estimate(0.25, report="02_innovation_drivers.html#Rates"),
            "plain": Estimate(7.0),  # shown nowhere: no link
        }
    }
    rules = [
        Rule(id="a", metric="custom.rate", swot="weakness", finding="rate {value:.0%}", below=0.5),
        Rule(id="b", metric="custom.lq", swot="strength", finding="LQ {value:.2f}", above=1.0),
        Rule(id="c", metric="custom.lq", swot="threat", finding="never", below=1.0),
        Rule(id="d", metric="custom.plain", swot="opportunity", finding="n {value:.0f}", above=5),
        Rule(id="e", metric="custom.missing", swot="threat", finding="absent", above=0),
    ]
    q = _quadrants(render_brief("PL22", "Śląskie", metrics, rules))
    assert q == {
        "Strengths": ['LQ 1.50 [<a href="01_specialisation.html#Location-quotient">source</a>]'],
        "Weaknesses": ['rate 25% [<a href="02_innovation_drivers.html#Rates">source</a>]'],
        "Opportunities": ["n 7 [source]"],
        "Threats": ["None identified by the rules."],
    }


def test_plain_numbers_link_to_their_documented_anchor():
    metrics = {"specialisation": {"eu_stars": 2, "stars": 1, "n_regions": 16}}
    eu = lookup(metrics, "specialisation.eu_stars")
    assert eu == Estimate(2.0, report="01_specialisation.html#Stars-across-Europe")
    assert lookup(metrics, "specialisation.stars").report == ANCHORS["specialisation.stars"]
    assert lookup(metrics, "specialisation.n_regions") == Estimate(16.0, report="")
    assert lookup(metrics, "specialisation.none") is None
    assert lookup({"specialisation": {"eu_stars": True}}, "specialisation.eu_stars") is None


def _result(region, notebook, status, files=()):
    return {"region": region, "notebook": notebook, "name": f"name of {region}",
            "parameters": {}, "status": status, "error": "boom" if status == "failed" else "",
            "files": list(files)}  # fmt: skip


def test_index_after_a_resume_that_skipped_runs(tmp_path):
    (tmp_path / "PL22").mkdir()
    (tmp_path / "PL22" / ".01_specialisation.metrics.json").write_text(json.dumps({}))
    results = [
        _result("PL22", "01_specialisation", "skipped", ["01_specialisation.html"]),
        _result("PL22", "03_firm_segments", "ok", ["03_firm_segments.html"]),
        _result("PL21", "01_specialisation", "skipped", ["01_specialisation.html"]),
        _result("PL21", "03_firm_segments", "failed", ["03_firm_segments.failed.ipynb"]),
    ]
    page = write_index(tmp_path, results).read_text(encoding="utf-8")
    summary = "2 regions, 4 runs, 1 failed, 2 skipped (complete from an earlier run with the same inputs)."
    assert summary in " ".join(page.split())
    # a skipped run links its report like a run that ran; the failed one links its partial notebook
    for reg in ("PL22", "PL21"):
        assert f'<a href="{reg}/01_specialisation.html">specialisation</a>' in page
    assert '<a href="PL22/03_firm_segments.html">firm segments</a>' in page
    assert '<a href="PL21/03_firm_segments.failed.ipynb">partial notebook</a>' in page
    assert page.count('class="failed"') == 1
    # nothing skipped: no mention of it
    page = write_index(tmp_path, results[1:2]).read_text(encoding="utf-8")
    assert "1 regions, 1 runs, 0 failed." in " ".join(page.split()) and "skipped" not in page


def test_run_batch_resume_writes_the_index_of_skipped_and_redone_runs(tmp_path, monkeypatch):
    jobs = build_jobs(["PL22", "PL21"], notebooks=("03_firm_segments",))

    def fake_run_job(job, out, digest, *, timeout):
        d = runner.region_dir(tmp_path, job)
        d.mkdir(exist_ok=True)
        (d / f"{job.notebook}.html").write_text("<html></html>")
        runner._write_json_atomic(runner.done_marker(tmp_path, job),
                                  {"input_hash": digest, "files": [f"{job.notebook}.html"]})  # fmt: skip
        return _result(job.region, job.notebook, "ok", [f"{job.notebook}.html"])

    class Pool:  # runs the jobs in this process, in order
        def __init__(self, *a, **kw):
            pass

        def submit(self, fn, *a, **kw):
            from concurrent.futures import Future

            f = Future()
            f.set_result(fn(*a, **kw))
            return f

        def shutdown(self, **kw):
            pass

    monkeypatch.setattr(runner, "run_job", fake_run_job)
    monkeypatch.setattr(runner, "ProcessPoolExecutor", Pool)
    runner.run_batch(jobs, out=tmp_path, progress=False)
    (tmp_path / "PL21" / "03_firm_segments.html").unlink()  # PL21 must be redone, PL22 not
    results = runner.run_batch(jobs, out=tmp_path, resume=True, progress=False)
    assert [(r["region"], r["status"]) for r in results] == [("PL22", "skipped"), ("PL21", "ok")]
    page = " ".join((tmp_path / "index.html").read_text(encoding="utf-8").split())
    assert "2 regions, 2 runs, 0 failed, 1 skipped (complete from an earlier run" in page
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in manifest["runs"]] == ["skipped", "ok"]
    assert not (tmp_path / ".clusterlib-run.lock").exists()


def test_a_loss_reads_as_a_loss_not_a_negative_loss():
    """`{magnitude}` is the absolute value: "lost 50 jobs", never "lost -50 jobs" (issue 25)."""
    import dataclasses

    from clusterlib.batch.brief import load_rules

    rule = next(r for r in load_rules() if r.id == "competitive-loss")
    rule = dataclasses.replace(rule, metric="custom.shift")  # the shipped text, on a plain number
    metrics = {"custom": {"shift": Estimate(-50.4)}}
    threats = _quadrants(render_brief("PL34", "Podlaskie", metrics, [rule]))["Threats"]
    assert threats == [
        "The region lost 50 jobs in the cluster against national and industry trends "
        "(regional shift) [source]"
    ]
