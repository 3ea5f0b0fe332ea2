"""Run the notebooks for many regions: papermill on IPC kernels, worker processes or Dask."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

import papermill  # noqa: F401 - execute (kernels.py) calls it; tests patch runner.papermill
from papermill.exceptions import PapermillExecutionError

from clusterlib import config
from clusterlib.batch.kernels import (
    RUN_FOLDERS,
    IPCKernelManager,  # noqa: F401 - the kernel manager of execute, named here for tests
    _stop_workers,
    _terminate_as_interrupt,
    _worker_init,
    execute,
    sweep_stale,
)
from clusterlib.batch.lock import FolderLock, FolderTakenOver, check_owner, holder, owns
from clusterlib.batch.params import Job
from clusterlib.batch.reproducible import normalise_notebook
from clusterlib.io.cache import code_hash, definitions_hash
from clusterlib.io.files import file_sha256 as sha256_file

KERNEL_RETRIES = 1


#: Parameters that name an input file; the file's contents are part of a run's input hash.
FILE_PARAMETERS = ("survey_path", "mapping_path", "weights", "data_path")


def parameter_files(parameters: dict) -> dict[str, str | None]:
    """SHA-256 of every file a run's parameters name (``survey_path``, ``mapping_path``, ...).

    A relative path may be read from the working directory, the parameter folder or the notebook
    folder: every one of these that exists is hashed, so a change to whichever the kernel reads
    changes the hash. A named file that exists nowhere is recorded as None.
    """
    out: dict[str, str | None] = {}
    for key in FILE_PARAMETERS:
        value = parameters.get(key)
        if not isinstance(value, str) or not value:
            continue
        path = Path(value).expanduser()
        bases = [Path.cwd(), config.params_dir(), config.notebooks_dir()]
        candidates = [path] if path.is_absolute() else [b / path for b in bases]
        found = {str(c): sha256_file(c) for c in candidates if c.is_file()}
        out.update(found or {f"{key}:{value}": None})
    return out


def input_hash(
    job: Job, data_hashes: dict[str, str], version: str, *, files: dict | None = None
) -> str:
    """Hash of everything a run depends on.

    The notebook, the parameters, the data files (``data_hashes``), the files the parameters name
    (:func:`parameter_files`), the definition files of the parameter folder (``clusters.yaml``,
    ``areas.yaml``, ``actions.yaml``; :func:`clusterlib.io.cache.definitions_hash`), the package
    version and the library code. ``files``: the run's :func:`parameter_files`, if already hashed.
    """
    nb = config.notebooks_dir() / f"{job.notebook}.ipynb"
    payload = json.dumps(
        {
            "notebook": sha256_file(nb),
            "parameters": job.parameters,
            "data": data_hashes,
            "files": parameter_files(job.parameters) if files is None else files,
            "definitions": definitions_hash(),
            "version": version,
            "code": code_hash(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def region_dir(out: Path, job: Job) -> Path:
    """Output folder of a region (the code was validated against a pattern before)."""
    return out / job.region


def done_marker(out: Path, job: Job) -> Path:
    """Completion marker of a run, written last."""
    return region_dir(out, job) / f".{job.notebook}.done.json"


def is_complete(out: Path, job: Job, digest: str) -> bool:
    """Tell whether the run finished before with the same inputs and all its outputs exist."""
    marker = done_marker(out, job)
    if not marker.exists():
        return False
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except ValueError:
        return False
    d = region_dir(out, job)
    return info.get("input_hash") == digest and all((d / f).exists() for f in info.get("files", []))


def _kernel_start_failed(exc: BaseException, partial: Path) -> bool:
    """Tell whether a failure came before any cell ran (a kernel start failure)."""
    if isinstance(exc, PapermillExecutionError):
        return False
    try:
        import nbformat

        nb = nbformat.read(partial, as_version=4)
        return not any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    except Exception:  # noqa: BLE001 - no readable output at all: nothing ran
        return True


def run_job(job: Job, out: str, digest: str, *, timeout: int | None = 600) -> dict:
    """Execute one notebook for one region; write its outputs atomically.

    The notebook runs into a private temporary folder inside the region folder. On success the
    executed notebook, its HTML rendering and the notebook's metrics are moved into place with
    ``os.replace`` and the completion marker is written last, so an interrupted run never looks
    complete. On failure the partially executed notebook is kept as ``<notebook>.failed.ipynb``.
    A kernel that fails to start is retried once.
    """
    out = Path(out)
    token = holder(out)[1]  # the run that holds the folder now; checked again before any marker
    rdir = region_dir(out, job)
    rdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    result = {
        "region": job.region,
        "notebook": job.notebook,
        "name": job.name,
        "parameters": job.parameters,
        "status": "failed",
        "error": "",
        "files": [],
    }
    source = config.notebooks_dir() / f"{job.notebook}.ipynb"
    for attempt in range(KERNEL_RETRIES + 1):
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{job.notebook}-", dir=rdir))
        RUN_FOLDERS.add(tmp)
        partial = tmp / f"{job.notebook}.ipynb"
        executed = False  # papermill returned: a later failure is no kernel start failure
        try:
            execute(source, partial, {**job.parameters, "output_dir": str(tmp)}, timeout=timeout)
            executed = True
            # no timestamps, random cell ids or temporary paths: same inputs, same bytes
            normalise_notebook(partial, source=source, temporary=tmp)
            _render(partial, tmp / f"{job.notebook}.html", job)
            check_owner(out, token)
            files = [
                f"{job.notebook}.ipynb",
                f"{job.notebook}.html",
                *_move_outputs(tmp, rdir, job),
            ]
            for f in files[:2]:
                os.replace(tmp / f, rdir / f)
            (rdir / f"{job.notebook}.failed.ipynb").unlink(missing_ok=True)
            marker = {"input_hash": digest, "files": files, "parameters": job.parameters}
            check_owner(out, token)
            _write_json_atomic(done_marker(out, job), marker)
            result.update(status="ok", files=files)
            break
        except BaseException as exc:  # noqa: BLE001 - report every failure, keep going
            if attempt < KERNEL_RETRIES and not executed and _kernel_start_failed(exc, partial):
                result["error"] = f"kernel start failed, retried: {exc}"
                continue
            if isinstance(exc, PapermillExecutionError):
                result["error"] = f"{exc.ename}: {exc.evalue}"
            else:
                result["error"] = f"{type(exc).__name__}: {exc}"
                result["traceback"] = traceback.format_exc(limit=5)
            if isinstance(exc, FolderTakenOver) or not owns(out, token):
                result["error"] = str(FolderTakenOver(out))
                if isinstance(exc, KeyboardInterrupt):
                    raise
                break  # the folder is another run's now: touch nothing of it
            done_marker(out, job).unlink(missing_ok=True)
            if partial.exists():
                with contextlib.suppress(Exception):  # an unreadable partial notebook is kept
                    normalise_notebook(partial, source=source, temporary=tmp)
                os.replace(partial, rdir / f"{job.notebook}.failed.ipynb")
                result["files"] = [f"{job.notebook}.failed.ipynb"]
            if isinstance(exc, KeyboardInterrupt):
                raise
            break
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            RUN_FOLDERS.discard(tmp)
    result["seconds"] = round(time.perf_counter() - t0, 2)
    return result


def _render(partial: Path, html: Path, job: Job) -> None:
    """Render the executed notebook to the report's HTML file."""
    from clusterlib.batch.render import render_html

    html.write_text(
        render_html(
            partial, region=job.region, name=job.name, title=job.notebook,
            parameters=job.parameters,
        ),
        encoding="utf-8",
    )  # fmt: skip


def _move_outputs(tmp: Path, rdir: Path, job: Job) -> list[str]:
    """Move the run's metrics and exports into the region's folder; return their names."""
    files = []
    metrics = tmp / "metrics.json"
    if metrics.exists():
        os.replace(metrics, rdir / f".{job.notebook}.metrics.json")
        files.append(f".{job.notebook}.metrics.json")
    exports = tmp / "exports"
    if exports.is_dir():  # tables (CSV, XLSX) and definitions (YAML) the notebook wrote
        # file by file: several notebooks of a region export into the same folder
        (rdir / "exports").mkdir(exist_ok=True)
        for p in sorted(exports.iterdir()):
            os.replace(p, rdir / "exports" / p.name)
            files.append(f"exports/{p.name}")
    return files


def _write_json_atomic(path: Path, obj) -> None:
    from clusterlib.io.files import write_atomic

    write_atomic(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def _submit_local(jobs, out, digests, n_jobs, timeout):
    ctx = get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=n_jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    )
    try:
        futures = {pool.submit(run_job, j, str(out), digests[j], timeout=timeout): j for j in jobs}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                yield fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker crash is one failed run
                yield {
                    "region": job.region,
                    "notebook": job.notebook,
                    "name": job.name,
                    "parameters": job.parameters,
                    "status": "failed",
                    "error": f"worker crashed: {exc}",
                    "files": [],
                }
    except BaseException:
        _stop_workers(pool)
        raise
    else:
        pool.shutdown(wait=True)


def _submit_dask(jobs, out, digests, address, timeout):
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(address) as client:
        futures = [
            client.submit(run_job, j, str(out), digests[j], timeout=timeout, pure=False)
            for j in jobs
        ]
        for fut in dask_completed(futures):
            yield fut.result()


def run_batch(
    jobs: list[Job],
    *,
    out: Path | None = None,
    n_jobs: int | None = None,
    resume: bool = False,
    timeout: int | None = 600,
    dask: str | None = None,
    progress: bool = True,
    index_figure=None,
) -> list[dict]:
    """Run every job and write ``index.html`` and ``manifest.json``.

    Parameters
    ----------
    jobs : list of Job
        From :func:`clusterlib.batch.params.build_jobs`.
    out : Path
        Output folder (default ``reports/``).
    n_jobs : int
        Worker processes (default: the number of cores).
    resume : bool
        Skip runs already complete with the same inputs (notebook, parameters, data, version).
    timeout : int
        Per-cell timeout in seconds.
    dask : str, optional
        Address of a Dask distributed scheduler; the workers must see ``out`` (shared
        filesystem) and have clusterlib installed.
    index_figure : callable, optional
        Draws the index map (see :func:`clusterlib.batch.report.write_index`).

    Returns
    -------
    list of dict
        One result per job: ``status`` (ok, failed or skipped), ``error``, ``files``, ``seconds``.

    Raises
    ------
    OutputError
        Another live run holds ``out`` (its lock file ``.clusterlib-run.lock``); the message
        names its process id. The lock of a run that died (even by ``kill -9``) is taken over.
    """
    out = (out or config.reports_dir()).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with FolderLock(out):  # a second run refuses; a killed run's lock is free
        return _run_locked(jobs, out, n_jobs, resume, timeout, dask, progress, index_figure)


def _run_locked(jobs, out, n_jobs, resume, timeout, dask, progress, index_figure) -> list[dict]:
    from tqdm import tqdm

    from clusterlib import __version__
    from clusterlib.batch.report import data_hashes, write_index, write_manifest

    sweep_stale(out)  # nothing of a live run: the lock is ours
    hashes = data_hashes()
    files = {j: parameter_files(j.parameters) for j in jobs}  # hashed once, for hash and manifest
    digests = {j: input_hash(j, hashes, __version__, files=files[j]) for j in jobs}
    results, todo = [], []
    for j in jobs:
        if resume and is_complete(out, j, digests[j]):
            results.append(
                {
                    "region": j.region,
                    "notebook": j.notebook,
                    "name": j.name,
                    "parameters": j.parameters,
                    "status": "skipped",
                    "error": "",
                    "files": json.loads(done_marker(out, j).read_text())["files"],
                }
            )
        else:
            todo.append(j)
    n_jobs = n_jobs or os.cpu_count() or 1
    stream = (
        _submit_dask(todo, out, digests, dask, timeout)
        if dask
        else _submit_local(todo, out, digests, n_jobs, timeout)
    )
    bar = tqdm(total=len(todo), disable=not progress, unit="run", file=sys.stderr)
    with _terminate_as_interrupt():
        try:
            for res in stream:
                results.append(res)
                bar.update(1)
                bar.set_postfix_str(f"{res['region']} {res['notebook']}: {res['status']}")
                if progress:
                    msg = (
                        f"{res['status']:>7}  {res['region']}  {res['notebook']}  "
                        f"{res.get('seconds', 0):.1f}s"
                    )
                    bar.write(msg + (f"  {res['error']}" if res["status"] == "failed" else ""))
        except BaseException:
            stream.close()  # stops the workers and their kernels
            sweep_stale(out)
            raise
        finally:
            bar.close()
    order = {(j.region, j.notebook): i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order[(r["region"], r["notebook"])])
    from clusterlib.batch.brief import load_rules, write_brief
    from clusterlib.batch.report import collect_metrics

    rules = load_rules()
    for region in dict.fromkeys(r["region"] for r in results):
        name = next(r["name"] for r in results if r["region"] == region)  # every result has one
        collect_metrics(out, region)
        brief = next((j.brief for j in jobs if j.region == region), {})
        write_brief(out, region, name, rules=rules, **brief)
    write_index(out, results, index_figure=index_figure)
    write_manifest(out, results, hashes, digests={(j.region, j.notebook): digests[j] for j in jobs},
                   files={(j.region, j.notebook): files[j] for j in jobs})  # fmt: skip
    return results
