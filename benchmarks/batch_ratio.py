"""The batch: where a run's time goes, and the batch against a serial papermill loop (``make bench-batch``).

``python -m benchmarks.batch_ratio [STEP ...]`` measures the steps named (default: ``profile
ratio``) and writes ``benchmarks/BATCH.md`` and the issue-29 section of ``RESULTS.md`` from every
step measured so far (kept in ``benchmarks/batch_results.json`` with the commit and the machine's
load when it was measured):

- ``profile``: one run of each notebook for PL22, stage by stage (``benchmarks.batch_profile``),
  with kernels launched (``CLUSTERLIB_ZYGOTE=0``) and forked from the worker's zygote;
- ``baseline``: the same profile on another checkout (``BENCH_BASELINE``, a clone with its own
  ``.venv``, e.g. the main branch before issue 29), run with that checkout's Python and a data
  cache of its own (or read from ``BENCH_BASELINE_JSON``, the output of that same command);
- ``ratio``: ``clusterlib run --jobs 2`` against a serial shell loop of the ``papermill`` CLI on
  4 regions x 6 notebooks, plus the batch with launched kernels;
- ``runall``: ``clusterlib run --all`` (``make run`` after the install);
- ``nuts2``: notebook 01 for the NUTS2 regions of one country (``BENCH_NUTS2``, default PL) or
  of all of them (``BENCH_NUTS2=all``), in runs per minute.

Times are wall and CPU seconds; the machine has 2 cores and is shared with other jobs, so wall
times depend on the load (recorded), CPU times much less.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "batch_results.json"
REGIONS = ["PL22", "PL21", "PL12", "PL51"]


def _stamp() -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    return {"commit": commit, "load": [round(x, 1) for x in os.getloadavg()],
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip


def measure(step: str) -> dict:
    from benchmarks import batch_profile
    from benchmarks.run import batch, nuts2_all, wall

    before = _stamp()
    if step == "profile":
        out = {"launched": _profile_json(sys.executable, HERE.parent, zygote=False),
               "forked": _profile_json(sys.executable, HERE.parent, zygote=True)}  # fmt: skip
    elif step == "baseline":
        root = Path(os.environ["BENCH_BASELINE"])
        saved = os.environ.get("BENCH_BASELINE_JSON")  # the same profile, run there before
        rows = (
            json.loads(Path(saved).read_text().strip().splitlines()[-1])
            if saved
            else _profile_json(str(root / ".venv/bin/python"), root, zygote=False)
        )
        commit = (
            os.environ.get("BENCH_BASELINE_COMMIT")
            or subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
            ).stdout.strip()
        )
        out = {"rows": rows, "commit": commit, "note": os.environ.get("BENCH_BASELINE_NOTE", "")}
    elif step == "ratio":
        out = {"forked": batch(REGIONS), "launched": batch(REGIONS, zygote=False, loop=False)}
    elif step == "runall":
        from benchmarks.run import BIN, child_cpu

        tmp = tempfile.mkdtemp(prefix="clusterlib-bench-")
        c0 = child_cpu()
        seconds = wall([str(BIN / "clusterlib"), "run", "--all", "--out", tmp, "--no-progress"])
        manifest = json.loads((Path(tmp) / "manifest.json").read_text())
        out = {"seconds": seconds, "cpu": child_cpu() - c0, "runs": len(manifest["runs"]),
               "ok": sum(r["status"] == "ok" for r in manifest["runs"])}  # fmt: skip
    elif step == "nuts2":
        out = nuts2_all(os.environ.get("BENCH_NUTS2", "PL"))
    else:
        raise SystemExit(f"unknown step {step!r}")
    del batch_profile
    return {**out, "at_start": before, "at_end": _stamp()}


def _profile_json(python: str, root: Path, *, zygote: bool) -> list[dict]:
    """Run ``batch_profile.py --json`` with ``python`` in ``root`` (its own data cache)."""
    env = {**os.environ, "MPLBACKEND": os.environ.get("MPLBACKEND", "Agg")}
    if Path(root).resolve() != HERE.parent:
        env["CLUSTERLIB_CACHE"] = tempfile.mkdtemp(prefix="clusterlib-basecache-")
    args = [python, str(HERE / "batch_profile.py"), "--json", *(["--zygote"] if zygote else [])]
    res = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _totals(rows: list[dict]) -> dict[str, float]:
    return {r["notebook"]: sum(v[1] for v in r["stages"].values()) for r in rows}


def _load(d: dict) -> str:
    if d.get("note"):
        return d["note"]
    return f"{d['at_start']['date']}, commit {d['at_start']['commit']}, load average " + (
        f"{d['at_start']['load'][0]} at start, {d['at_end']['load'][0]} at end"
    )


def _quiet(data: dict) -> bool:
    """Tell whether every target was measured with no other job running (load below 2.5)."""
    steps = [d for k, d in data.items() if k in ("ratio", "runall", "nuts2")]
    return bool(steps) and all(
        max(d["at_start"]["load"][0], d["at_end"]["load"][0]) < 2.5 for d in steps
    )


def results_section() -> list[str]:
    """The issue-29 targets, for RESULTS.md (empty when nothing was measured)."""
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    lines = ["## Issue 29: the batch at the speed of its work", ""]
    lines += ["| target | measured | target | |", "|---|---|---|---|"]
    r = data.get("ratio")
    if r:
        f = r["forked"]
        ratio = f["runner"] / f["serial_loop"]
        lines.append(
            f"| batch / serial papermill CLI loop, {f['runs']} runs (4 regions x 6 notebooks) "
            f"| {ratio:.2f} wall ({f['runner']:.0f} s vs {f['serial_loop']:.0f} s); CPU "
            f"{f['runner_cpu']:.0f} s vs {f['serial_loop_cpu']:.0f} s "
            f"| <= 0.30 | {'**met**' if ratio <= 0.30 else '**not met**'} |"
        )
    a = data.get("runall")
    if a:
        lines.append(
            f"| `make run` after the install (`clusterlib run --all`, {a['runs']} runs, "
            f"{a['ok']} ok) | {a['seconds'] / 60:.1f} min wall, {a['cpu'] / 60:.1f} min CPU "
            f"| < 3 min | {'**met**' if a['seconds'] < 180 else '**not met**'} |"
        )
    n = data.get("nuts2")
    if n:
        rpm = 60 * n["runs"] / n["seconds"]
        scope = "every EU NUTS2 region" if n["scope"] == "all" else f"the {n['scope']} regions only"
        lines.append(
            f"| `--nuts2 all` runs per minute (notebook 01; measured on {scope}, {n['runs']} "
            f"runs) | {rpm:.0f} per min wall ({n['seconds']:.0f} s, CPU {n['cpu']:.0f} s) | >= 60 "
            f"| {'**met**' if rpm >= 60 else '**not met**'} |"
        )
    if len(lines) == 4:
        return []
    notes = [f"{k}: load average {d['at_start']['load'][0]}-{d['at_end']['load'][0]} "
             f"({d['at_start']['date']})" for k, d in data.items() if k in ("ratio", "runall", "nuts2")]  # fmt: skip
    quiet = _quiet(data)
    where = (
        "Measured on 2 cores with no other job running (" if quiet
        else "Measured on 2 cores shared with other jobs ("
    )  # fmt: skip
    lines += ["", where + "; ".join(notes) + "): " + os.environ.get("BENCH_NOTE", "") + (
        "the load average counts the batch's own two workers. "
        if quiet else "every wall time above is longer than on a quiet machine, and a loaded "
        "machine takes away most of what two workers gain over one serial loop. "
    ) + "The CPU times do not depend on the load; from them alone, *if both cores were "
        "fully used* (an estimate, not a measurement):", ""]  # fmt: skip
    if r:
        est = f["runner_cpu"] / 2 / f["serial_loop_cpu"]
        la = r["launched"]
        lines.insert(-2, f"The same batch with kernels launched, not forked (`CLUSTERLIB_ZYGOTE=0`, "
                     f"run right after): {la['runner']:.0f} s wall, {la['runner_cpu']:.0f} s CPU.")  # fmt: skip
        lines.insert(-2, "")
        lines.append(f"- batch / loop about {est:.2f} (batch CPU / 2 against the loop's CPU);")
    if a:
        lines.append(f"- `make run` about {a['cpu'] / 2 / 60:.1f} min (CPU / 2);")
    if n:
        lines.append(f"- `--nuts2` about {60 * n['runs'] / (n['cpu'] / 2):.0f} runs per minute.")
    lines += _nuts2_budget(n, data.get("profile"))
    return [*lines, "", "Profile and measurement conditions: `benchmarks/BATCH.md`.", ""]


def _nuts2_budget(n: dict | None, prof: dict | None) -> list[str]:
    """What 60 runs a minute would need, against what one run costs (when it is not met)."""
    if not n or 60 * n["runs"] / n["seconds"] >= 60:
        return []
    per_run = n["cpu"] / n["runs"]
    out = [
        "",
        f"Why `--nuts2 all` is not at 60 runs a minute: on 2 cores that allows at most "
        f"2.0 CPU seconds per run, with both cores busy all the time; a run costs "
        f"{per_run:.2f} (the sweep's CPU / its runs, the runner and workers included).",
    ]
    rows = {r["notebook"]: r for r in (prof or {}).get("forked", [])}
    r = rows.get("01_specialisation")
    if r:
        png_c, figs = r["png"][1], r["png"][2]
        out[-1] += (
            f" Rendering the {figs} figures to PNG alone takes {png_c:.2f} CPU s of a run "
            "in the profile below (drawing them into their figures comes on top, in the "
            "cells' own time): the report's figures, not the machinery around them, are "
            "what a run is made of."
        )
    return out


def write() -> str:
    from benchmarks.batch_profile import cell_lines, import_lines, table

    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    lines = [
        "# The batch: profile of a run, and the batch against a serial papermill loop",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, "
        + ("no other job running" if _quiet(data) else "**shared with other jobs**")
        + " while the targets were measured (load average recorded with each step; wall times "
        "vary with it, CPU times much less). Written by "
        "`python -m benchmarks.batch_ratio` from `benchmarks/batch_results.json`.",
        "",
        *results_section(),
    ]
    prof, base = data.get("profile"), data.get("baseline")
    if prof:
        lines += ["## CPU seconds of one run, per notebook (PL22, warm data cache)", ""]
        head = "| notebook | "
        cols = []
        if base:
            head += f"before issue 29 ({base['commit']}) | "
            cols.append(_totals(base["rows"]))
        head += "kernels launched (`CLUSTERLIB_ZYGOTE=0`) | kernels forked (default) |"
        cols += [_totals(prof["launched"]), _totals(prof["forked"])]
        lines += [head, "|---" * (len(cols) + 1) + "|"]
        for nb in cols[-1]:
            lines.append(
                f"| {nb} | " + " | ".join(f"{c.get(nb, float('nan')):.2f}" for c in cols) + " |"
            )
        lines.append("| all six | " + " | ".join(f"{sum(c.values()):.1f}" for c in cols) + " |")
        lines += ["", "CPU: the kernel's (reaped child) plus the papermill, normalising and "
                  "HTML export work in the profiling process.", ""]  # fmt: skip
        variants = ([(f"before issue 29 ({base['commit']})", base["rows"], base)] if base else []) + [
            ("kernels launched", prof["launched"], prof), ("kernels forked", prof["forked"], prof)
        ]  # fmt: skip
        for title, rows, d in variants:
            lines += [
                f"### Stages: {title} ({_load(d)})",
                "",
                "Seconds, wall / CPU where two are given. *Kernel start*: from papermill's start "
                "to the first cell (the kernel's CPU until then in brackets); *imports* and "
                "*figures to PNG*: timed inside the kernel around every `import` and "
                "`figure_png`; *other cell work*: the cells' wall time without these; "
                "*papermill rest*: kernel shutdown and the notebook write.",
                "",
                *table(rows),
                "",
                "Cells (wall s):",
                "",
                *cell_lines(rows),
                "",
                "Most expensive packages among those the notebook imported itself (self time, s, "
                "`python -X importtime` in a fresh interpreter after `ipykernel.kernelapp`):",
                "",
                *import_lines(rows),
                "",
            ]
    text = "\n".join(lines)
    (HERE / "BATCH.md").write_text(text, encoding="utf-8")
    res = HERE / "RESULTS.md"
    if res.exists():  # replace the issue-29 section written by make bench or an earlier run
        old = res.read_text(encoding="utf-8")
        marker = "## Issue 29: the batch at the speed of its work"
        section = "\n".join(results_section())
        if marker in old:
            start = old.index(marker)
            end = old.find("\n## ", start + 1)
            old = old[:start] + section + ("" if end < 0 else old[end:])
        elif section:
            old = old.rstrip("\n") + "\n\n" + section
        res.write_text(old, encoding="utf-8")
    return text


def main(argv: list[str]) -> None:
    steps = argv or ["profile", "ratio"]
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for step in steps:
        if step != "write":
            data[step] = measure(step)
            RESULTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(write())


if __name__ == "__main__":
    main(sys.argv[1:])
