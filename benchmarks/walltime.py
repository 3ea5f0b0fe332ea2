"""Wall time of the README's two commands on a fresh clone: ``make run``, then ``make test``.

The clone is made from this repository's HEAD into a temporary folder (so ``.venv`` is created
and the package installed from scratch, as on a new machine), with ``../shared`` linked beside
it as CI has it. Prints one JSON line; ``benchmarks.run`` includes it unless BENCH_WALL=0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_make(target: str, cwd: Path) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run(["make", target], cwd=cwd, capture_output=True, text=True, check=False)
    tail = (out.stdout + out.stderr).strip().splitlines()[-1:] or [""]
    return {"seconds": time.perf_counter() - t0, "rc": out.returncode, "last_line": tail[0][:200]}


def main() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="clusterlib-wall-"))
    try:
        clone = tmp / "clusterlib"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        shared = ROOT.parent / "shared"
        if shared.exists():
            os.symlink(shared, tmp / "shared")
        env_note = {"commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone,
                                             capture_output=True, text=True).stdout.strip()}  # fmt: skip
        run = timed_make("run", clone)
        test = timed_make("test", clone)
        return {"make_run": run, "make_test": test, **env_note}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(main()))
