"""Mutation testing of the core modules with mutmut (issue #15): ``make mutation``.

Runs ``mutmut run`` (configured in ``pyproject.toml``, ``[tool.mutmut]``) on the mutants whose
names match the arguments (default: every core module), then counts killed and surviving mutants
per module from ``mutmut results --all true`` and writes ``benchmarks/MUTATION.md``. Survivors
judged equivalent are listed with the reason in ``tests/MUTATION_SURVIVORS.md``.

``python -m benchmarks.mutation "clusterlib.segmentation.gower*"`` runs one module.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

MUTMUT = [sys.executable, "-m", "mutmut"]


def main(patterns: list[str]) -> None:
    subprocess.run([*MUTMUT, "run", *patterns], check=True)
    out = subprocess.run([*MUTMUT, "results", "--all", "true"], check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    counts: dict[str, Counter] = defaultdict(Counter)
    for line in out.splitlines():
        # functions are x_name, methods xǁClassǁname: both count for their module
        m = re.match(r"\s*(clusterlib\.[\w.]+?)\.x[_ǁ]\S*__mutmut_\d+: (\w[\w ]*)", line)
        if m:
            counts[m.group(1)][m.group(2)] += 1
    rows = ["| module | mutants | killed | survived | kill ratio |", "|---|---|---|---|---|"]
    pending = []
    for module, c in sorted(counts.items()):
        total = sum(c.values())
        checked = total - c["not checked"]
        if not checked:
            pending.append(f"{module} ({total})")
            continue
        rows.append(f"| {module} | {total} | {c['killed']} | {c['survived']} | "
                    f"{c['killed'] / checked:.1%} |")  # fmt: skip
    if pending:
        rows += ["", f"Not run yet (mutants generated): {', '.join(pending)}."]
    text = "\n".join([
        "# Mutation testing (issue #15)",
        "",
        "`make mutation` (mutmut, configured in pyproject.toml). A survivor is either killed by a",
        "new test or explained as equivalent in `tests/MUTATION_SURVIVORS.md`.",
        "",
        *rows,
        "",
    ])  # fmt: skip
    Path(__file__).with_name("MUTATION.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
