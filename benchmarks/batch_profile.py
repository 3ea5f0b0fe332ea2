"""Where one notebook run of the batch spends its time, stage by stage (``benchmarks/BATCH.md``).

For each notebook, one region's run goes through the batch's own stages in this process:
``papermill.execute_notebook`` on a batch kernel, :func:`normalise_notebook`, the HTML export and
the moves into place. Two profiling cells are added to the notebook (before and after its own
cells; they are not part of the report): the first records the kernel's CPU time at its first
cell and wraps ``import`` and :func:`clusterlib.chapters.display.figure_png`, so that the time
spent importing and rasterising figures is known per notebook; papermill's cell metadata gives
each cell's wall time. CPU time is the kernel's (``RUSAGE_CHILDREN`` after it was reaped) plus
this process's (``time.process_time``): on a shared machine wall times vary, CPU times less.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

#: Added before the notebook's cells: kernel CPU so far, and timers around imports and PNGs.
PROBE_START = r"""
import builtins, importlib, json, sys, time
_cl_prof = {"kernel_cpu": time.process_time(), "imports": [0.0, 0.0], "png": [0.0, 0.0, 0],
            "base_modules": sorted(sys.modules)}
_cl_depth = [0]
def _cl_timed(fn, slot):
    def wrapper(*a, **k):
        if _cl_depth[0]:
            return fn(*a, **k)
        _cl_depth[0] += 1
        t, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            _cl_depth[0] -= 1
            _cl_prof[slot][0] += time.perf_counter() - t
            _cl_prof[slot][1] += time.process_time() - c
            if slot == "png":
                _cl_prof[slot][2] += 1
    return wrapper
builtins.__import__ = _cl_timed(builtins.__import__, "imports")
importlib.import_module = _cl_timed(importlib.import_module, "imports")
import clusterlib.chapters.display as _cl_display
_cl_display.figure_png = _cl_timed(_cl_display.figure_png, "png")
"""
#: Added after the notebook's cells: the totals and the modules the notebook loaded.
PROBE_END = r"""
_cl_prof["cpu"] = time.process_time()
_cl_prof["modules"] = sorted(sys.modules)
with open(PROFILE_PATH, "w") as _f:
    json.dump(_cl_prof, _f)
"""


def probed(source: Path, dest: Path, profile: Path) -> None:
    """Copy a notebook with the two profiling cells added."""
    nb = nbformat.read(source, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PROBE_START))
    nb.cells.append(nbformat.v4.new_code_cell(f"PROFILE_PATH = {str(profile)!r}\n" + PROBE_END))
    nbformat.write(nb, dest)


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu() -> float:
    return time.process_time()


def profile_job(job, tmp: Path, *, render_once: dict) -> dict:
    """Run one job through the batch's stages; return the stage times (wall and CPU)."""
    from clusterlib import config
    from clusterlib.batch.reproducible import normalise_notebook
    from clusterlib.batch.runner import _move_outputs, _render

    execute = _execute()

    work = tmp / job.notebook
    work.mkdir()
    src = work / f"probed_{job.notebook}.ipynb"
    prof_path = work / "profile.json"
    probed(config.notebooks_dir() / f"{job.notebook}.ipynb", src, prof_path)
    out_nb = work / f"{job.notebook}.ipynb"
    stages: dict[str, tuple[float, float]] = {}

    def stage(name, fn):
        w, c, k = time.perf_counter(), self_cpu(), child_cpu()
        res = fn()
        stages[name] = (time.perf_counter() - w, self_cpu() - c + child_cpu() - k)
        return res

    stage("papermill", lambda: execute(src, out_nb, {**job.parameters, "output_dir": str(work)}))
    nb = nbformat.read(out_nb, as_version=4)
    prof = json.loads(prof_path.read_text())
    meta = nb.metadata.papermill
    cells = [
        (c.source.splitlines()[0][:60] if c.source else "", c.metadata.papermill.duration or 0.0)
        for c in nb.cells
        if c.cell_type == "code"
    ]
    first_start = next(c.metadata.papermill.start_time for c in nb.cells if c.cell_type == "code")
    from datetime import datetime

    kernel_wait = (
        datetime.fromisoformat(first_start) - datetime.fromisoformat(meta.start_time)
    ).total_seconds()
    stage("normalise", lambda: normalise_notebook(out_nb, source=src, temporary=work))
    html = work / f"{job.notebook}.html"
    name = "html (first in process)" if not render_once else "html"
    render_once["done"] = True
    stage(name, lambda: _render(out_nb, html, job))
    dest = tmp / "placed" / job.region
    dest.mkdir(parents=True, exist_ok=True)
    stage("moves", lambda: (_move_outputs(work, dest, job), os.replace(html, dest / html.name)))
    own = cells[1:-1]  # without the two probes
    return {
        "notebook": job.notebook,
        "stages": stages,
        "kernel_wait": kernel_wait,
        "probe_start": cells[0][1],
        "cells": own,
        "kernel_cpu_ready": prof["kernel_cpu"],
        "kernel_cpu_total": prof["cpu"],
        "imports": prof["imports"],
        "png": prof["png"],
        "new_modules": sorted(set(prof["modules"]) - set(prof["base_modules"])),
        "html_bytes": (dest / html.name).stat().st_size,
    }


def _execute():
    """The batch's own execution of a notebook; on a checkout before it had one, its old call."""
    try:
        from clusterlib.batch.runner import execute

        return execute
    except ImportError:  # the baseline (main before issue 29): papermill with the runner's options
        import papermill

        from clusterlib import config
        from clusterlib.batch.kernels import IPCKernelManager

        def execute(source, dest, parameters, *, timeout=600):
            papermill.execute_notebook(
                str(source), str(dest), parameters=parameters, kernel_name="python3",
                progress_bar=False, request_save_on_cell_execute=False,
                execution_timeout=timeout, cwd=str(config.notebooks_dir()),
                kernel_manager_class=IPCKernelManager,
            )  # fmt: skip

        return execute


_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def import_costs(modules: list[str], top: int = 8) -> list[tuple[str, float]]:
    """Self import time (s) by top-level package of ``modules``, from ``python -X importtime``.

    The kernel's own modules (``ipykernel.kernelapp`` and what it loads) are imported first and
    left out, so what remains is what the notebook itself made the kernel import.
    """
    roots = sorted({m.split(".")[0] for m in modules if not m.startswith("_")})
    code = "import ipykernel.kernelapp\nimport sys\nprint('--MARK--', file=sys.stderr)\n" + "".join(
        f"try:\n import {r}\nexcept Exception:\n pass\n" for r in roots
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True, text=True, check=False,
        env={**os.environ, "MPLBACKEND": "Agg"}, cwd=tempfile.gettempdir(),
    )  # fmt: skip
    after = out.stderr.split("--MARK--", 1)[-1]
    by_root: dict[str, float] = {}
    for m in _IMPORTTIME.finditer(after):
        root = m.group(4).split(".")[0]
        by_root[root] = by_root.get(root, 0.0) + int(m.group(1)) / 1e6
    return sorted(by_root.items(), key=lambda kv: -kv[1])[:top]


def profile_all(region: str = "PL22", *, zygote: bool = False) -> list[dict]:
    """Profile each notebook once for ``region`` (after one warm-up run that fills the caches).

    ``zygote``: kernels forked from a pre-imported process, as in a batch worker
    (:mod:`clusterlib.batch.zygote`); otherwise started with ``python -m ipykernel_launcher``.
    """
    import shutil

    try:
        from clusterlib.batch import zygote as zyg
    except ImportError:  # the baseline has no zygote
        zyg = None
    from clusterlib.batch.params import NOTEBOOKS, build_jobs
    from clusterlib.io import load_eurostat

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # as in a batch worker
    load_eurostat()
    jobs = build_jobs([region], notebooks=NOTEBOOKS)
    render_once: dict = {}
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-profile-"))
    if zygote and (zyg is None or not zyg.enable()):
        raise RuntimeError("no zygote on this system")
    try:
        warm = tmp / "warm"
        warm.mkdir()
        for job in jobs:  # the batch's data caches are warm after the first region
            profile_job(job, warm, render_once=render_once)
        for job in jobs:
            rows.append(profile_job(job, tmp, render_once=render_once))
    finally:
        if zyg is not None:
            zyg.disable()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def table(rows: list[dict]) -> list[str]:
    """Markdown: one row per notebook, stage times as wall / CPU seconds."""
    lines = [
        "| notebook | kernel start (wall) | imports | figures to PNG (n) | other cell work "
        "| papermill rest | normalise | HTML export | moves | total wall | total CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        s = r["stages"]
        cell_sum = sum(d for _, d in r["cells"])
        imp_w, imp_c = r["imports"]
        png_w, png_c, n = r["png"]
        # the first probe's own import (clusterlib.chapters.display) is in the imports total
        other = cell_sum + r["probe_start"] - imp_w - png_w
        pm_rest = s["papermill"][0] - r["kernel_wait"] - r["probe_start"] - cell_sum
        html = s.get("html") or s.get("html (first in process)")
        tot_w = sum(v[0] for v in s.values())
        tot_c = sum(v[1] for v in s.values())
        lines.append(
            f"| {r['notebook']} | {r['kernel_wait']:.2f} (kernel CPU {r['kernel_cpu_ready']:.2f}) "
            f"| {imp_w:.2f} / {imp_c:.2f} | {png_w:.2f} / {png_c:.2f} ({n}) | {other:.2f} "
            f"| {pm_rest:.2f} | {s['normalise'][0]:.2f} | {html[0]:.2f} / {html[1]:.2f} "
            f"| {s['moves'][0]:.3f} | {tot_w:.2f} | {tot_c:.2f} |"
        )
    return lines


def cell_lines(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        cells = ", ".join(f"`{src.split('(')[0][:40]}` {d:.2f}" for src, d in r["cells"])
        out.append(f"- **{r['notebook']}** (wall s): {cells}")
    return out


def import_lines(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        costs = r.get("import_costs") or import_costs(r["new_modules"])
        out.append(f"- **{r['notebook']}**: " + ", ".join(f"{k} {v:.2f}" for k, v in costs))
    return out


def main(argv: list[str]) -> None:
    """``[--zygote] [--json]``: profile the six notebooks for PL22; print a table or JSON rows."""
    rows = profile_all("PL22", zygote="--zygote" in argv)
    if "--json" in argv:
        for r in rows:
            r["import_costs"] = import_costs(r.pop("new_modules"))
        print(json.dumps(rows))
    else:
        print("\n".join(table(rows) + [""] + cell_lines(rows) + [""] + import_lines(rows)))


if __name__ == "__main__":
    main(sys.argv[1:])
