"""Benchmark items, each run in its own process so that its peak RSS is its own.

``python -m benchmarks.items NAME`` prints one JSON line. Every item times its baseline and the
clusterlib route in the same process, in interleaved rounds (baseline, clusterlib, baseline, ...)
after a warm-up, and reports the median ratio and its range over the rounds: timings on this
machine drift by tens of percent within a minute, and a ratio of two timings taken seconds apart
is steadier than either.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

N_REGIONS, N_INDUSTRIES, N_YEARS = 1000, 500, 10
ROUNDS = 7


def synthetic_cells(seed: int = 0, *, shuffle: bool = False) -> pd.DataFrame:
    """5 million cells: 1,000 regions x 500 industries x 10 years of counts (categorical keys)."""
    rng = np.random.default_rng(seed)
    n = N_REGIONS * N_INDUSTRIES * N_YEARS
    years = np.repeat(np.arange(2010, 2010 + N_YEARS), N_REGIONS * N_INDUSTRIES)
    regions = np.tile(np.repeat(np.arange(N_REGIONS), N_INDUSTRIES), N_YEARS)
    industries = np.tile(np.arange(N_INDUSTRIES), N_REGIONS * N_YEARS)
    df = pd.DataFrame(
        {
            "year": years,
            "region": pd.Categorical.from_codes(regions, [f"R{i:04d}" for i in range(N_REGIONS)]),
            "industry": pd.Categorical.from_codes(
                industries, [f"I{i:03d}" for i in range(N_INDUSTRIES)]
            ),
            "value": rng.integers(1, 10_000, n).astype(float),
        }
    )
    if shuffle:
        df = df.iloc[rng.permutation(n)].reset_index(drop=True)
    return df


def lq_pandas_groupby(df):
    """The straightforward pandas route a user would write (no intervals)."""
    xr = df.groupby(["year", "region"], observed=True)["value"].transform("sum")
    xi = df.groupby(["year", "industry"], observed=True)["value"].transform("sum")
    xt = df.groupby("year")["value"].transform("sum")
    return (df["value"] / xr) / (xi / xt)


def dense(df):
    """The ordered table's values as the year x region x industry array (rows in key order)."""
    return df["value"].to_numpy().reshape(N_YEARS, N_REGIONS, N_INDUSTRIES)


def lq_numpy_floor(a):
    """The floor: numpy arithmetic on the prepared dense year x region x industry array."""
    return (a / a.sum(axis=2, keepdims=True)) / (
        a.sum(axis=1, keepdims=True) / a.sum(axis=(1, 2), keepdims=True)
    )


def lq_ecomplexity(df):
    """Harvard's ecomplexity: ComplexityData RCA, year by year (its documented route)."""
    import warnings

    from ecomplexity.ComplexityData import ComplexityData

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cd = ComplexityData(
            df.astype({"region": str, "industry": str}),
            {"time": "year", "loc": "region", "prod": "industry", "val": "value"},
            "coerce",
        )
        out = []
        for t in sorted(df["year"].unique()):
            cd.create_full_df(t)
            cd.calculate_rca()
            out.append(cd.rca_t)
    return out


def rounds(routes: dict, n: int = ROUNDS) -> dict[str, list[float]]:
    """Time each route once per round, the routes interleaved, after one warm-up call each."""
    for fn in routes.values():
        fn()
    out = {k: [] for k in routes}
    for _ in range(n):
        for k, fn in routes.items():
            t0 = time.perf_counter()
            fn()
            out[k].append(time.perf_counter() - t0)
    return out


def summary(times: dict[str, list[float]], baseline: str) -> dict:
    """Median seconds of each route, and the median and range of its per-round ratio."""
    base = np.asarray(times[baseline])
    res = {}
    for k, v in times.items():
        r = np.asarray(v) / base
        res[k] = {
            "seconds": float(np.median(v)),
            "ratio": float(np.median(r)),
            "ratio_min": float(r.min()),
            "ratio_max": float(r.max()),
        }
    return res


def profile(fn, top: int = 12) -> str:
    """The ``top`` functions by own time (cProfile) of one call of ``fn``."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(top)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    return "\n".join(lines[start : start + top + 1])


def read_and_table() -> dict:
    """Read the raw Eurostat file + the full LQ table, against pandas.read_csv of the same file."""
    import clusterlib as cl

    path = cl.config.eurostat_path()
    data = cl.read_eurostat_tsv(path)
    times = rounds(
        {
            "read_csv": lambda: pd.read_csv(path, sep="\t", dtype=str),
            "read": lambda: cl.read_eurostat_tsv(path),
            "table": lambda: cl.specialisation_table(data),
            "read_and_table": lambda: cl.specialisation_table(cl.read_eurostat_tsv(path)),
        }
    )
    out = summary(times, "read_csv")
    out["profile_read"] = profile(lambda: cl.read_eurostat_tsv(path))
    out["profile_table"] = profile(lambda: cl.specialisation_table(data))
    return out


def current_format_copy(src, dst) -> None:
    """Write the 2017 bulk file as the current format writes the same cells: freq first,
    ``\\TIME_PERIOD``, years ascending (the cells and the other dimensions unchanged)."""
    import gzip

    with gzip.open(src, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = lines[0].split("\t")
    order = list(range(len(head) - 1))[::-1]
    out = ["\t".join(["freq," + head[0].replace("\\time", "\\TIME_PERIOD")]
                     + [head[1 + j] for j in order])]  # fmt: skip
    for line in lines[1:]:
        parts = line.split("\t")
        out.append("\t".join(["A," + parts[0]] + [parts[1 + j] for j in order]))
    with gzip.open(dst, "wt", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def reader_before_issue_26():
    """``read_eurostat_tsv`` as it was before issue 26 (git show 5a87c23), or None without git."""
    import subprocess
    import types

    src = subprocess.run(["git", "show", "5a87c23:clusterlib/io/eurostat.py"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    if src.returncode != 0:
        return None
    module = types.ModuleType("eurostat_before_issue_26")
    exec(compile(src.stdout, "eurostat_before_issue_26.py", "exec"), module.__dict__)
    return module.read_eurostat_tsv


def generations() -> dict:
    """The reader on the 2017 file and on the same cells in the current format (issue 26)."""
    import tempfile
    from pathlib import Path

    import clusterlib as cl

    path = cl.config.eurostat_path()
    with tempfile.TemporaryDirectory() as tmp:
        current = Path(tmp) / "sbs_current_format.tsv.gz"
        current_format_copy(path, current)
        a, b = cl.read_eurostat_tsv(path), cl.read_eurostat_tsv(current)
        a.attrs, b.attrs = {}, {}
        pd.testing.assert_frame_equal(a, b)  # the same cells give the same table
        before = reader_before_issue_26()
        routes = {
            "read_csv": lambda: pd.read_csv(path, sep="\t", dtype=str),
            "read_2017": lambda: cl.read_eurostat_tsv(path),
            "read_current": lambda: cl.read_eurostat_tsv(current),
        }
        if before is not None:
            routes["before"] = lambda: before(path)
        times = rounds(routes)
    out = {"cells": len(a), "by_read_csv": summary(times, "read_csv")}
    out["current_vs_2017"] = summary(times, "read_2017")["read_current"]
    if before is not None:
        out["now_vs_before"] = summary(times, "before")["read_2017"]
    return out


def memory() -> dict:
    """Peak memory allocated while the full table is computed, against the tidy input's size."""
    import clusterlib as cl

    data = cl.read_eurostat_tsv(cl.config.eurostat_path())
    cl.specialisation_table(data)  # warm: reference tables and imports are not the table's
    size = int(data.memory_usage(deep=True).sum())
    tracemalloc.start()
    table = cl.specialisation_table(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "tidy_mb": size / 1e6,
        "peak_mb": peak / 1e6,
        "ratio": peak / size,
        "result_mb": table.memory_usage(deep=True).sum() / 1e6,
        "rows_in": len(data),
        "rows_out": len(table),
    }


def lq5m() -> dict:
    """location_quotient_long on 5M shuffled rows: the numpy floor, pandas, and the passes."""
    import clusterlib as cl
    from clusterlib.specialisation.lq_long import _codes

    ordered = synthetic_cells()
    a = dense(ordered)
    df = synthetic_cells(shuffle=True)
    x = df["value"].to_numpy()
    (t, _), (r, _), (i, _) = (_codes(df, k) for k in ("year", "region", "industry"))
    rt = r.astype(np.intp) * N_YEARS + t
    it = i.astype(np.intp) * N_YEARS + t
    rng = np.random.default_rng(1)
    small_r, small_i = rng.random(N_REGIONS * N_YEARS), rng.random(N_INDUSTRIES * N_YEARS)
    buf = np.empty(len(x))

    def passes():
        # the least any long-form kernel must do with its keys already coded: two scatter-adds
        # of the rows into the totals, two gathers of the totals back and one product
        np.bincount(rt, weights=x)
        np.bincount(it, weights=x)
        q = small_r[rt]
        q *= small_i[it]
        q *= x

    def passes_at():
        # the same passes with the fastest numpy calls found: np.add.at (no index range pass)
        # and np.take into a reused buffer (no new 40 MB array per gather)
        np.add.at(np.zeros(len(small_r)), rt, x)
        np.add.at(np.zeros(len(small_i)), it, x)
        q = np.take(small_r, rt)
        q *= np.take(small_i, it, out=buf, mode="wrap")
        q *= x

    times = rounds(
        {
            "floor": lambda: lq_numpy_floor(a),
            "passes": passes,
            "passes_at": passes_at,
            "lq": lambda: cl.location_quotient_long(df, level=None),
            "lq_ci": lambda: cl.location_quotient_long(df),
            "pandas": lambda: lq_pandas_groupby(df),
        }
    )
    out = summary(times, "floor")
    ci = np.asarray(times["lq_ci"]) / np.asarray(times["pandas"])
    out["ci_vs_pandas"] = {
        "ratio": float(np.median(ci)),
        "ratio_min": float(ci.min()),
        "ratio_max": float(ci.max()),
    }
    out["steps"] = lq_steps(df)
    return out


def lq_steps(df: pd.DataFrame) -> dict[str, float]:
    """Milliseconds of each pass of location_quotient_long (median of 5, after a warm-up)."""
    from clusterlib.specialisation import lq_long as L

    steps: dict[str, list[float]] = {}
    for _ in range(6):
        t0 = time.perf_counter()
        marks = []

        def mark(name, t0=t0, marks=marks):
            marks.append((name, time.perf_counter()))

        x = df["value"].to_numpy(float)
        bool(x.min() >= 0)
        mark("check counts (one min)")
        (t, nt), (r, nr), (i, ni) = (L._codes(df, k) for k in ("year", "region", "industry"))
        mark("key codes (categorical codes, one-byte year offsets)")
        rt, it = L._cell(r, nt, t, nr * nt), L._cell(i, nt, t, ni * nt)
        mark("region-year and industry-year cells (two-byte)")
        xr, xi, _ = L.scatter_totals(x, rt, it, i, nr * nt, ni * nt, ni)
        mark("pass 1, blocked: two np.add.at and the duplicate-key marks")
        xt = np.bincount(np.arange(len(xr)) % nt, weights=xr)
        inv_r = 1 / xr
        share = xi / xt[np.arange(len(xi)) % nt]
        inv_s = 1 / share
        c = 1 / xt[np.arange(len(xi)) % nt] - 1 / xi
        mark("small per-group arrays")
        lq = L.gather_lq(x, rt, it, inv_r, inv_s)
        mark("pass 2, blocked: two gathers and the product (LQ only)")
        pd.DataFrame({"lq": lq}, index=df.index, copy=False)
        mark("result frame")
        L.gather_interval(x, rt, it, inv_r, inv_s, c, level=0.95)
        mark("pass 2 with intervals instead: 3 gathers, ~14 arithmetic steps")
        L.scatter_totals(x, rt, it, None, nr * nt, ni * nt, ni)
        mark("pass 1 without the duplicate-key marks (for comparison only)")
        prev = t0
        for name, when in marks:
            steps.setdefault(name, []).append((when - prev) * 1000)
            prev = when
    return {k: float(np.median(v[1:])) for k, v in steps.items()}


def lq5m_ecomplexity() -> dict:
    """ecomplexity's RCA on the same 5M shuffled rows, once (it takes about 12 s)."""
    import clusterlib as cl

    df = synthetic_cells(shuffle=True)
    t0 = time.perf_counter()
    cl.location_quotient_long(df, level=None)
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    lq_ecomplexity(df)
    return {"ecomplexity": time.perf_counter() - t0, "clusterlib": ours}


def segment100k() -> dict:
    """choose_k on 100,000 synthetic firms, k = 2..8, and the k it recommends."""
    import clusterlib as cl

    survey = cl.synthetic_survey(100_000, seed=0, separation=2.0)
    X = cl.build_features(survey)[0]
    t0 = time.perf_counter()
    sel = cl.choose_k(X, k_range=range(2, 9), method="minibatch", sample_size=5000)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "k": int(sel.attrs["recommended_k"]), "true_k": 4}


ITEMS = {
    "read_and_table": read_and_table,
    "memory": memory,
    "lq5m": lq5m,
    "lq5m_ecomplexity": lq5m_ecomplexity,
    "segment100k": segment100k,
    "generations": generations,
}


def main(argv):
    name = argv[0]
    if name not in ITEMS:
        raise SystemExit(f"unknown item {name}; one of {sorted(ITEMS)}")
    out = ITEMS[name]()
    out["item"] = name
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
