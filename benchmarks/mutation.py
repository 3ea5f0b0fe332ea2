"""Mutation testing of the core modules with mutmut (issue #15): ``make mutation``.

Runs ``mutmut run`` (configured in ``pyproject.toml``, ``[tool.mutmut]``) on the mutants whose
names match the arguments (default: every core module), then counts killed and surviving mutants
per module from ``mutmut results --all true``. Survivors judged equivalent are listed with the
reason in ``tests/MUTATION_SURVIVORS.md``.

Each module's figures are kept in ``benchmarks/mutation_results.json`` with the commit and date of
the run that checked every one of its mutants, so that modules can be run one at a time
(``python -m benchmarks.mutation "clusterlib.segmentation.gower*"``) and
``benchmarks/MUTATION.md`` still shows every module. A module is recorded only when none of its
mutants is left unchecked. Tests are only ever added, so a later test change can raise a module's
figure but not lower it; a module's row says when it was last run.

A timeout counts as detected: the mutant made a covered test run past mutmut's time limit (an
endless loop), which a test run would report as a failure too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

MUTMUT = [sys.executable, "-m", "mutmut"]
HERE = Path(__file__).parent
RESULTS = HERE / "mutation_results.json"
# mutmut's status words
DETECTED = ("killed", "timeout")


def count_results(text: str) -> dict[str, Counter]:
    """Count mutmut's statuses per module from ``mutmut results --all true``."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for line in text.splitlines():
        # functions are x_name, methods xǁClassǁname: both count for their module
        m = re.match(r"\s*(clusterlib\.[\w.]+?)\.x[_ǁ]\S*__mutmut_\d+: (\w[\w ]*)", line)
        if m:
            counts[m.group(1)][m.group(2).strip()] += 1
    return counts


def record(
    counts: dict[str, Counter], previous: dict, *, patterns: list[str], commit: str, date: str
) -> dict:
    """Update ``previous`` with the modules of this run (``patterns``; none: all) fully checked.

    A module outside the patterns keeps its earlier row: its statuses in mutmut's cache are from
    an earlier run.
    """
    out = dict(previous)
    for module, c in counts.items():
        ran = not patterns or any(fnmatch(f"{module}.x_f__mutmut_1", p) for p in patterns)
        if c["not checked"] or not ran:
            continue
        total = sum(c.values())
        detected = sum(c[s] for s in DETECTED)
        out[module] = {
            "mutants": total,
            "killed": c["killed"],
            "timeout": c["timeout"],
            "survived": c["survived"],
            "no_tests": c["no tests"],
            "ratio": round(detected / total, 4) if total else None,
            "commit": commit,
            "date": date,
        }
    return dict(sorted(out.items()))


def render(results: dict, pending: list[str]) -> str:
    """The Markdown report of ``benchmarks/MUTATION.md``."""
    rows = [
        "| module | mutants | killed | timeout | survived | no tests | kill ratio | run at |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for module, r in results.items():
        rows.append(
            f"| {module} | {r['mutants']} | {r['killed']} | {r['timeout']} | {r['survived']} | "
            f"{r['no_tests']} | {r['ratio']:.1%} | {r['commit']} ({r['date']}) |"
        )
    if pending:
        rows += ["", f"Not run to the end yet (mutants generated): {', '.join(pending)}."]
    return "\n".join([
        "# Mutation testing (issue #15)",
        "",
        "`make mutation` (mutmut, configured in pyproject.toml; `benchmarks/mutation.py`). The",
        "kill ratio is (killed + timeout) / mutants; a mutant with no covering test counts as",
        "surviving. A survivor is either killed by a new test or explained as equivalent in",
        "`tests/MUTATION_SURVIVORS.md`. Each row is the last run that checked all of that",
        "module's mutants (commit and date).",
        "",
        *rows,
        "",
    ])  # fmt: skip


# mutmut forks one process per mutant from a parent that has run the tests. OpenMP (scikit-learn's
# k-means) and BLAS thread pools are not fork-safe: a child that uses them after the fork can wait
# forever, which the CPU-time limit never stops. One thread each keeps the children safe.
SINGLE_THREAD = {v: "1" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def main(patterns: list[str]) -> None:
    # the commit the run starts from: mutmut copies the code and tests at the start
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()  # fmt: skip
    subprocess.run([*MUTMUT, "run", *patterns], check=True, env={**os.environ, **SINGLE_THREAD})
    text = subprocess.run([*MUTMUT, "results", "--all", "true"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip
    counts = count_results(text)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results = record(counts, previous, patterns=patterns, commit=commit,
                     date=datetime.now(UTC).strftime("%Y-%m-%d"))  # fmt: skip
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    pending = [f"{m} ({sum(c.values())})" for m, c in sorted(counts.items()) if m not in results]
    text = render(results, pending)
    (HERE / "MUTATION.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
