"""``make bench``: measure clusterlib against what a user would otherwise use; write RESULTS.md.

Every ratio compares timings taken in this same run on this machine. Items run in separate
processes (``benchmarks.items``) so that each peak RSS is its own. Speed is measured here and
never asserted in tests.

``python -m benchmarks.run lq [N]`` runs the long-form LQ section alone, N times, and rewrites
only that part of RESULTS.md (see ``lq_alone``). Options (environment): BENCH_WALL=0 skips timing ``make run`` and ``make test`` on a fresh clone
(about 15 minutes); BENCH_BATCH=1 adds the 16-region batch against a serial papermill loop (about
20 minutes; ``make bench-batch`` runs a 4-region version). The NUTS2 sweep is ``nuts2_all``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import clusterlib as cl
from clusterlib import config

HERE = Path(__file__).resolve().parent
PY = sys.executable
BIN = Path(PY).parent


def item(name: str) -> dict:
    out = subprocess.run(
        [PY, "-m", "benchmarks.items", name],
        cwd=HERE.parent,
        text=True,
        capture_output=True,
        check=False,
    )
    if out.returncode != 0:
        return {
            "item": name,
            "seconds": float("nan"),
            "peak_rss_mb": float("nan"),
            "error": (out.stderr.strip().splitlines() or ["failed"])[-1][:200],
        }
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def batch(regions: list[str], *, zygote: bool = True, loop: bool = True) -> dict:
    """clusterlib run --jobs 2 against a serial shell loop of the papermill CLI, same jobs.

    Wall and CPU seconds of each route (CPU: ``RUSAGE_CHILDREN`` of this process, so every
    worker, kernel and papermill process that was waited for). ``zygote=False`` runs the batch
    with ``CLUSTERLIB_ZYGOTE=0`` (kernels launched, not forked); ``loop=False`` skips the loop.
    """
    from clusterlib.batch.params import build_jobs

    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-bench-"))
    cl.load_eurostat()  # both routes start from a warm data cache
    jobs = build_jobs(regions)
    env = {**os.environ, "CLUSTERLIB_ZYGOTE": "1" if zygote else "0"}
    c0 = child_cpu()
    cmd = [str(BIN / "clusterlib"), "run", "--regions", ",".join(regions), "--jobs", "2",
           "--out", str(tmp / "runner"), "--no-progress"]  # fmt: skip
    runner = wall(cmd, env=env)
    runner_cpu = child_cpu() - c0
    out = {"runs": len(jobs), "runner": runner, "runner_cpu": runner_cpu, "zygote": zygote}
    if loop:
        folder = tmp / "loop"
        folder.mkdir()
        t0, c0 = time.perf_counter(), child_cpu()
        for job in jobs:
            args = [str(BIN / "papermill"), str(config.notebooks_dir() / f"{job.notebook}.ipynb"),
                    str(folder / f"{job.region}_{job.notebook}.ipynb"), "-k", "python3",
                    "--cwd", str(config.notebooks_dir())]  # fmt: skip
            for k, v in job.parameters.items():
                args += ["-p", k, str(v)]
            subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.update(serial_loop=time.perf_counter() - t0, serial_loop_cpu=child_cpu() - c0)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def child_cpu() -> float:
    """CPU seconds (user + system) of the waited-for child processes of this process."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def overhead() -> dict:
    """One notebook run split into kernel start + imports and compute (papermill API, IPC kernel)."""
    import nbformat
    import papermill

    from clusterlib.batch.runner import IPCKernelManager

    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-bench-"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import clusterlib as cl\nfrom clusterlib.chapters import display\n"
            "from clusterlib.figures import charts, maps"
        )
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp / "imports.ipynb")

    def run(path):
        t0 = time.perf_counter()
        papermill.execute_notebook(
            str(path),
            str(tmp / "out.ipynb"),
            progress_bar=False,
            kernel_manager_class=IPCKernelManager,
            cwd=str(config.notebooks_dir()),
        )
        return time.perf_counter() - t0

    start = float(np.median([run(tmp / "imports.ipynb") for _ in range(3)]))
    full = {
        nb: run(config.notebooks_dir() / f"{nb}.ipynb")
        for nb in ("01_specialisation", "02_innovation_drivers", "03_firm_segments")
    }
    shutil.rmtree(tmp, ignore_errors=True)
    return {"kernel_and_imports": start, "full": full}


def nuts2_all(scope: str) -> dict:
    """``clusterlib run --nuts2 all`` (scope ``all``) or ``--country <scope>``: wall, CPU, runs."""
    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-bench-"))
    c0 = child_cpu()
    which = ["--nuts2", "all"] if scope == "all" else ["--country", scope]
    cmd = [
        str(BIN / "clusterlib"),
        "run",
        *which,
        "--jobs",
        "2",
        "--out",
        str(tmp),
        "--no-progress",
    ]
    seconds = wall(cmd)
    cpu = child_cpu() - c0
    manifest = (
        json.loads((tmp / "manifest.json").read_text())
        if (tmp / "manifest.json").exists()
        else {"runs": []}
    )
    runs = manifest["runs"]
    ok = sum(r["status"] == "ok" for r in runs)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": seconds, "cpu": cpu, "runs": len(runs), "ok": ok, "scope": scope}


def versions() -> str:
    import importlib.metadata as md

    out = []
    for p in (
        "numpy",
        "pandas",
        "pyarrow",
        "scikit-learn",
        "statsmodels",
        "papermill",
        "ecomplexity",
    ):
        try:
            out.append(f"{p} {md.version(p)}")
        except md.PackageNotFoundError:
            out.append(f"{p} (not installed)")
    return ", ".join(out)


def fmt_ratio(d: dict) -> str:
    return f"{d['ratio']:.2f}x ({d['ratio_min']:.2f}-{d['ratio_max']:.2f})"


def ok(flag: bool) -> str:
    return "**met**" if flag else "**not met**"


def lq_rows(lq: dict, note: str = "") -> list[str]:
    """The long-form LQ's two rows of the hot-path table (issue 14's targets, issue 29's)."""
    return [
        f"| `location_quotient_long` on 5M cells in shuffled rows | numpy floor on the dense "
        f"array, {lq['floor']['seconds'] * 1000:.0f} ms | 4.0-5.0x (issue 14), 7.2x (issue 29) "
        f"| {fmt_ratio(lq['lq'])}, {lq['lq']['seconds']:.3f} s{note} | <= 2x (issue 14); <= 3x "
        f"(issue 29) | {ok(lq['lq']['ratio'] <= 2)}; {ok(lq['lq']['ratio'] <= 3)}: see below |",
        f"| the same with delta-method CIs | pandas groupby LQ without CIs, "
        f"{lq['pandas']['seconds']:.3f} s | 0.8-1.0x | {fmt_ratio(lq['ci_vs_pandas'])}, "
        f"{lq['lq_ci']['seconds']:.3f} s | <= 0.5x | {ok(lq['ci_vs_pandas']['ratio'] <= 0.5)} |",
    ]


def lq_section(lq: dict, eco: dict, *, alone: str = "") -> list[str]:
    """The section on the long-form LQ kernel: routes against the floor, and its passes."""
    lines = [
        "## LQ on 5 million cells in shuffled rows (1,000 regions x 500 industries x 10 years)",
        "",
        *([alone, ""] if alone else []),
        "| route | median (s) | ratio to the floor (range) |",
        "|---|---|---|",
    ]
    for k, label in (
        ("floor", "numpy floor: arithmetic on the prepared dense array (rows in key order)"),
        ("passes", "the irreducible passes of any long-form kernel, keys already coded "
                   "(`bincount`, fancy indexing)"),
        ("passes_at", "the same passes with `np.add.at` and `np.take` into a buffer"),
        ("lq", "clusterlib `location_quotient_long` (LQ only)"),
        ("lq_ci", "clusterlib `location_quotient_long` with delta-method CIs"),
        ("pandas", "pandas groupby/transform LQ, no CIs"),
    ):  # fmt: skip
        if k in lq:
            lines.append(f"| {label} | {lq[k]['seconds']:.3f} | {fmt_ratio(lq[k])} |")
    return lines + [
        f"| Harvard's ecomplexity RCA, year by year (once) | {eco['ecomplexity']:.2f} | "
        f"{eco['ecomplexity'] / eco['clusterlib']:.0f}x clusterlib's LQ in the same process |",
        "",
        "Where `location_quotient_long` spends its time, pass by pass (ms, median of 5):",
        "",
        "| pass | ms |",
        "|---|---|",
        *[f"| {k} | {v:.1f} |" for k, v in lq["steps"].items()],
        "",
    ]


def lq_alone(repeats: int) -> None:
    """``python -m benchmarks.run lq [N]``: the LQ item N times (min ratio), into RESULTS.md.

    Rewrites only the long-form LQ rows, the LQ section and the notes copied from NOTES.md;
    the run with the lowest median LQ ratio is kept (other processes share the machine, and
    load only ever slows a route down).
    """
    load = os.getloadavg()[0]
    runs = [item("lq5m") for _ in range(repeats)]
    failed = [r["error"] for r in runs if "error" in r]
    if failed:
        raise SystemExit(f"lq5m failed: {failed[0]}")
    lq = min(runs, key=lambda r: r["lq"]["ratio"])
    eco = item("lq5m_ecomplexity")
    ratios = ", ".join(f"{r['lq']['ratio']:.2f}x" for r in runs)
    alone = (
        f"This section alone: `python -m benchmarks.run lq {repeats}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {repeats} runs of 7 interleaved "
        f"rounds each ({'no other job running' if load < 1.5 else 'a machine shared with other jobs'}"
        f", load average {load:.1f} at the start); median LQ ratios per run {ratios}; the "
        "run with the lowest is shown (load only slows a route down)."
    )
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8").split("\n")
    rows = lq_rows(lq, f" (the lowest of {repeats} runs: {ratios})")
    at = [j for j, ln in enumerate(text) if ln.startswith("| `location_quotient_long` on 5M")][0]
    text[at : at + 2] = rows
    start = text.index(next(ln for ln in text if ln.startswith("## LQ on 5 million cells")))
    end = next(j for j in range(start + 1, len(text)) if text[j].startswith("## "))
    text[start:end] = lq_section(lq, eco, alone=alone)
    notes = (HERE / "NOTES.md").read_text(encoding="utf-8")
    head = notes.split("\n")[0]
    if head in text:
        text = text[: text.index(head)] + notes.split("\n")
    path.write_text("\n".join(text).rstrip("\n") + "\n", encoding="utf-8")
    print("\n".join(lq_section(lq, eco, alone=alone)))
    print(f"\nWritten to {path}")


def wall_times() -> dict | None:
    out = subprocess.run(
        [PY, "-m", "benchmarks.walltime"], cwd=HERE.parent, capture_output=True, text=True
    )
    if out.returncode != 0:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    t_start = time.perf_counter()
    r = {name: item(name) for name in ("read_and_table", "memory", "lq5m", "lq5m_ecomplexity",
                                       "segment100k", "generations")}  # fmt: skip
    wall = None if os.environ.get("BENCH_WALL") == "0" else wall_times()
    batch_lines = []
    if os.environ.get("BENCH_BATCH") == "1":
        regions = list(
            __import__("clusterlib.batch.params", fromlist=["region_files"]).region_files()
        )
        b = batch(regions)
        batch_lines = [
            "## Batch (papermill; BENCH_BATCH=1)",
            "",
            f"- {b['runs']} runs: `clusterlib run --jobs 2` **{b['runner']:.0f} s** vs a serial "
            f"shell loop of the `papermill` CLI **{b['serial_loop']:.0f} s**: ratio "
            f"**{b['runner'] / b['serial_loop']:.2f}**.",
            "",
        ]
    rt, mem, lq, eco, seg, gen = (r[k] for k in ("read_and_table", "memory", "lq5m",
                                                    "lq5m_ecomplexity", "segment100k",
                                                    "generations"))  # fmt: skip
    failed = [k for k, v in r.items() if "error" in v]
    if failed:
        raise SystemExit(f"benchmark items failed: {[(k, r[k]['error']) for k in failed]}")

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {versions()}. clusterlib {cl.__version__}. Written by "
        f"`make bench` in {time.perf_counter() - t_start:.0f} s.",
        "",
        "Every ratio is between timings taken in the same process, in interleaved rounds (baseline,",
        "clusterlib, baseline, ...) after a warm-up: the median ratio over 7 rounds, with its range.",
        "",
        "## Issue 14: the hot paths against their targets",
        "",
        "| hot path | baseline | before (issue 14) | now | target | |",
        "|---|---|---|---|---|---|",
        f"| read the raw Eurostat file + the full LQ table (every NUTS2 region x division x year, "
        f"fill, CIs) | `pandas.read_csv` of the same file, {rt['read_csv']['seconds']:.3f} s | "
        f"4.0-6.1x | {fmt_ratio(rt['read_and_table'])}, {rt['read_and_table']['seconds']:.2f} s | "
        f"<= 2.2x | {ok(rt['read_and_table']['ratio'] <= 2.2)} |",
        *lq_rows(lq),
        f"| `choose_k` on 100,000 firms, k = 2..8 | | 22-33 s | {seg['seconds']:.1f} s, "
        f"recommends k = {seg['k']} (true {seg['true_k']}) | < 10 s, same k | "
        f"{ok(seg['seconds'] < 10 and seg['k'] == seg['true_k'])} |",
        f"| peak memory of the full table | the tidy input, {mem['tidy_mb']:.1f} MB | 87 MB "
        f"(2.7x) | {mem['peak_mb']:.1f} MB ({mem['ratio']:.2f}x) | <= 2x | "
        f"{ok(mem['ratio'] <= 2)} |",
    ]
    if wall:
        lines += [
            f"| `make test` on a fresh clone (venv exists after `make run`) | | about 4 min | "
            f"{wall['make_test']['seconds'] / 60:.1f} min (exit {wall['make_test']['rc']}) | "
            f"< 15 min | {ok(wall['make_test']['rc'] == 0 and wall['make_test']['seconds'] < 900)} |",
            f"| `make run` on a fresh clone (creates .venv, installs, 16 regions x 4 notebooks) | "
            f"| | {wall['make_run']['seconds'] / 60:.1f} min (exit {wall['make_run']['rc']}) | "
            f"reported | |",
        ]
    from benchmarks.generations import generations_lines

    lines += ["", *generations_lines(gen)]
    lines += [
        "",
        "## Reading and the full LQ table",
        "",
        "| what | median (s) | ratio to read_csv (range) |",
        "|---|---|---|",
    ]
    for k, label in (
        ("read_csv", "`pandas.read_csv` of the raw file (strings only, baseline)"),
        ("read", "`read_eurostat_tsv` (parsed, validated, tidy)"),
        ("table", "`specialisation_table` on the read table (fill-in, base, totals, CIs)"),
        ("read_and_table", "read + full table"),
    ):
        lines.append(f"| {label} | {rt[k]['seconds']:.3f} | {fmt_ratio(rt[k])} |")
    lines += [
        "",
        f"Peak memory while the table is computed (tracemalloc: numpy and pandas allocations): "
        f"{mem['peak_mb']:.1f} MB for a tidy input of {mem['tidy_mb']:.1f} MB "
        f"({mem['rows_in']:,} rows) and a result of {mem['result_mb']:.1f} MB "
        f"({mem['rows_out']:,} rows); peak RSS of that process {mem['peak_rss_mb']:.0f} MB "
        "(interpreter, libraries, the read).",
        "",
        "Profile of `read_eurostat_tsv` (cProfile, own time):",
        "",
        "```",
        rt["profile_read"],
        "```",
        "",
        "Profile of `specialisation_table` (cProfile, own time):",
        "",
        "```",
        rt["profile_table"],
        "```",
        "",
    ]
    lines += lq_section(lq, eco)
    lines += [
        "## Segmentation",
        "",
        f"- `choose_k` on 100,000 synthetic firms (4 true segments), k = 2..8: "
        f"**{seg['seconds']:.1f} s**, recommends k = {seg['k']}; peak RSS "
        f"{seg['peak_rss_mb']:.0f} MB.",
        "",
    ]
    if wall:
        lines += [
            "## The README's two commands on a fresh clone",
            "",
            f"`benchmarks/walltime.py` clones HEAD ({wall['commit']}) into a temporary folder, "
            "links `../shared` beside it and times the two commands one after the other:",
            "",
            f"- `make run` (creates `.venv`, installs, runs 16 voivodeships x 4 notebooks): "
            f"**{wall['make_run']['seconds'] / 60:.1f} min**, exit {wall['make_run']['rc']}.",
            f"- `make test` (the whole suite, nbval and the browser test included): "
            f"**{wall['make_test']['seconds'] / 60:.1f} min**, exit {wall['make_test']['rc']}; "
            f"last line `{wall['make_test']['last_line']}`.",
            "",
        ]
    lines += batch_lines
    from benchmarks.batch_ratio import results_section

    lines += results_section()
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8")]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nWritten to {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["lq"]:
        lq_alone(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    else:
        main()
