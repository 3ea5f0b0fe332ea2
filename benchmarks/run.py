"""``make bench``: measure clusterlib against what a user would otherwise use; write RESULTS.md.

Every ratio compares timings taken in this same run on this machine. Items run in separate
processes (``benchmarks.items``) so that each peak RSS is its own. Speed is measured here and
never asserted in tests.

Options (environment): BENCH_QUICK=1 runs the batch on 4 regions instead of 16 and skips the
NUTS2 sweep; BENCH_NUTS2=all (default) sweeps every NUTS2 region in the data, BENCH_NUTS2=DE only
one country's regions (a shorter run whose rate is reported as such).
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


def batch(regions: list[str]) -> dict:
    """clusterlib run --jobs 2 against a serial shell loop of the papermill CLI, same jobs."""
    from clusterlib.batch.params import build_jobs

    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-bench-"))
    cl.load_eurostat()  # both routes start from a warm data cache
    runner = wall(
        [
            str(BIN / "clusterlib"),
            "run",
            "--regions",
            ",".join(regions),
            "--jobs",
            "2",
            "--out",
            str(tmp / "runner"),
            "--no-progress",
        ]
    )
    loop = tmp / "loop"
    loop.mkdir()
    t0 = time.perf_counter()
    for job in build_jobs(regions):
        args = [
            str(BIN / "papermill"),
            str(config.notebooks_dir() / f"{job.notebook}.ipynb"),
            str(loop / f"{job.region}_{job.notebook}.ipynb"),
            "-k",
            "python3",
            "--cwd",
            str(config.notebooks_dir()),
        ]
        for k, v in job.parameters.items():
            args += ["-p", k, str(v)]
        subprocess.run(args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serial = time.perf_counter() - t0
    shutil.rmtree(tmp, ignore_errors=True)
    return {"runs": 3 * len(regions), "runner": runner, "serial_loop": serial}


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
    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-bench-"))
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
    manifest = (
        json.loads((tmp / "manifest.json").read_text())
        if (tmp / "manifest.json").exists()
        else {"runs": []}
    )
    runs = manifest["runs"]
    ok = sum(r["status"] == "ok" for r in runs)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": seconds, "runs": len(runs), "ok": ok, "scope": scope}


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


def main() -> None:
    quick = os.environ.get("BENCH_QUICK") == "1"
    t_start = time.perf_counter()
    r = {
        name: item(name)
        for name in (
            "read_csv",
            "read",
            "read_cached",
            "eurostat_table",
            "read_and_table",
            "eurostat_pandas",
            "lq5m_numpy",
            "lq5m_clusterlib",
            "lq5m_clusterlib_ci",
            "lq5m_pandas",
            "lq5m_ecomplexity",
            "segment100k",
        )
    }
    regions = (
        ["PL22", "PL21", "PL12", "PL51"]
        if quick
        else list(__import__("clusterlib.batch.params", fromlist=["region_files"]).region_files())
    )
    b = batch(regions)
    o = overhead()
    n2 = None if quick else nuts2_all(os.environ.get("BENCH_NUTS2", "all"))

    def s(name):
        return r[name]["seconds"]

    def ratio(a, b):
        return s(a) / s(b) if s(b) == s(b) and s(b) > 0 else float("nan")

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{versions()}. clusterlib {cl.__version__}. Written by `make bench` "
        f"({'quick' if quick else 'full'}) in {time.perf_counter() - t_start:.0f} s. Medians of 3-5 "
        "repeats (the ecomplexity run and the batches once); every ratio is between timings taken "
        "in this same run.",
        "",
        "## Reading and the full LQ table",
        "",
        "| what | median (s) | ratio | peak RSS (MB) |",
        "|---|---|---|---|",
        f"| `pandas.read_csv` of the raw file (strings only, baseline) | {s('read_csv'):.3f} | 1.00 | {r['read_csv']['peak_rss_mb']:.0f} |",
        f"| `read_eurostat_tsv` (parsed, validated, tidy) | {s('read'):.3f} | {ratio('read', 'read_csv'):.2f} | {r['read']['peak_rss_mb']:.0f} |",
        f"| `load_eurostat` from the Parquet cache (keyed by the file's SHA-256) | {s('read_cached'):.3f} | {ratio('read_cached', 'read_csv'):.2f} | {r['read_cached']['peak_rss_mb']:.0f} |",
        f"| `specialisation_table`: every NUTS2 region x division x year, fill policy, CIs | {s('eurostat_table'):.3f} | | {r['eurostat_table']['peak_rss_mb']:.0f} |",
        f"| read + full table together (target < 2 s) | {s('read_and_table'):.3f} | | {r['read_and_table']['peak_rss_mb']:.0f} |",
        f"| plain pandas groupby LQ on the same file's NUTS2 rows (no policies, no CIs) | {s('eurostat_pandas'):.3f} | | {r['eurostat_pandas']['peak_rss_mb']:.0f} |",
        "",
        "## LQ on 5 million cells (1,000 regions x 500 industries x 10 years)",
        "",
        "| route | median (s) | vs clusterlib | peak RSS (MB) |",
        "|---|---|---|---|",
    ]
    for name, label in (
        ("lq5m_numpy", "numpy floor: arithmetic on the prepared dense array"),
        ("lq5m_clusterlib", "clusterlib `location_quotient_long` (LQ only)"),
        ("lq5m_clusterlib_ci", "clusterlib `location_quotient_long` with delta-method CIs"),
        ("lq5m_pandas", "pandas groupby/transform"),
        ("lq5m_ecomplexity", "ecomplexity `ComplexityData` RCA, year by year"),
    ):
        note = f" ({r[name]['error']})" if "error" in r[name] else ""
        lines.append(
            f"| {label}{note} | {s(name):.3f} | {ratio(name, 'lq5m_clusterlib'):.2f} | {r[name]['peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        f"Targets: clusterlib vs ecomplexity = {ratio('lq5m_ecomplexity', 'lq5m_clusterlib'):.1f}x faster "
        f"(target >= 5x); clusterlib vs the numpy floor = {ratio('lq5m_clusterlib', 'lq5m_numpy'):.2f}x "
        "(target <= 3x).",
        "",
        "## Batch (papermill)",
        "",
        f"- {b['runs']} runs ({len(regions)} regions x 3 notebooks): `clusterlib run --jobs 2` "
        f"**{b['runner']:.0f} s** vs a serial shell loop of the `papermill` CLI **{b['serial_loop']:.0f} s**: "
        f"ratio **{b['runner'] / b['serial_loop']:.2f}** (target <= 0.4).",
        f"- One notebook run: kernel start + imports {o['kernel_and_imports']:.1f} s; full runs "
        + ", ".join(f"{k} {v:.1f} s" for k, v in o["full"].items())
        + "; compute = full - start.",
    ]
    if n2:
        what = (
            "`--nuts2 all` (01_specialisation for every NUTS2 region with data)"
            if n2["scope"] == "all"
            else f"`--country {n2['scope']}` (01_specialisation for every NUTS2 region of "
            f"{n2['scope']}; a subset of `--nuts2 all`)"
        )
        lines.append(
            f"- {what}: {n2['runs']} runs ({n2['ok']} ok) in {n2['seconds']:.0f} s, "
            f"{60 * n2['runs'] / n2['seconds']:.1f} runs per minute."
        )
    lines += [
        "",
        "## Segmentation",
        "",
        f"- `choose_k` on 100,000 synthetic firms, k = 2..8 (MiniBatchKMeans, silhouette on a "
        f"5,000 sample, GMM BIC and gap on a 20,000 subsample): **{s('segment100k'):.1f} s** "
        f"(target < 60 s), peak RSS {r['segment100k']['peak_rss_mb']:.0f} MB.",
        "",
    ]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8")]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nWritten to {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
