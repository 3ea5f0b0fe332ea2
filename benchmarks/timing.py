"""One timing helper for the benchmark scripts: the median of repeated runs after a warm-up."""

from __future__ import annotations

import time

import numpy as np


def timed(fn, repeat: int = 3) -> float:
    """Run ``fn`` once to warm up (imports, caches), then return the median of ``repeat`` runs."""
    fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return float(np.median(out))
