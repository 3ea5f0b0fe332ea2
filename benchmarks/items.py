"""Benchmark items, each run in its own process so that its peak RSS is its own.

``python -m benchmarks.items NAME [ARGS]`` prints one JSON line: {"seconds": ..., "peak_rss_mb": ...}.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
import pandas as pd

N_REGIONS, N_INDUSTRIES, N_YEARS = 1000, 500, 10


def synthetic_cells(seed: int = 0) -> pd.DataFrame:
    """5 million cells: 1,000 regions x 500 industries x 10 years of counts (categorical keys)."""
    rng = np.random.default_rng(seed)
    n = N_REGIONS * N_INDUSTRIES * N_YEARS
    years = np.repeat(np.arange(2010, 2010 + N_YEARS), N_REGIONS * N_INDUSTRIES)
    regions = np.tile(np.repeat(np.arange(N_REGIONS), N_INDUSTRIES), N_YEARS)
    industries = np.tile(np.arange(N_INDUSTRIES), N_REGIONS * N_YEARS)
    return pd.DataFrame(
        {
            "year": years,
            "region": pd.Categorical.from_codes(regions, [f"R{i:04d}" for i in range(N_REGIONS)]),
            "industry": pd.Categorical.from_codes(
                industries, [f"I{i:03d}" for i in range(N_INDUSTRIES)]
            ),
            "value": rng.integers(1, 10_000, n).astype(float),
        }
    )


def lq_clusterlib(df, level=0.95):
    import clusterlib as cl

    return cl.location_quotient_long(df, level=level)


def lq_pandas_groupby(df):
    """The straightforward pandas route a user would write."""
    xr = df.groupby(["year", "region"], observed=True)["value"].transform("sum")
    xi = df.groupby(["year", "industry"], observed=True)["value"].transform("sum")
    xt = df.groupby("year")["value"].transform("sum")
    return (df["value"] / xr) / (xi / xt)


def dense(df):
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


def measure(fn, *args, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main(argv):
    name = argv[0]
    import clusterlib as cl

    if name == "read":
        t = measure(lambda: cl.read_eurostat_tsv(cl.config.eurostat_path()), repeats=5)
    elif name == "read_csv":
        t = measure(lambda: pd.read_csv(cl.config.eurostat_path(), sep="\t", dtype=str), repeats=5)
    elif name == "read_cached":
        cl.load_eurostat()  # warm the cache
        t = measure(cl.load_eurostat, repeats=5)
    elif name == "eurostat_table":
        data = cl.read_eurostat_tsv(cl.config.eurostat_path())
        t = measure(lambda: cl.specialisation_table(data), repeats=3)
    elif name == "read_and_table":
        t = measure(
            lambda: cl.specialisation_table(cl.read_eurostat_tsv(cl.config.eurostat_path())),
            repeats=3,
        )
    elif name == "eurostat_pandas":
        # the same LQ arithmetic by plain groupby on the full file's divisions (no policies)
        data = cl.read_eurostat_tsv(cl.config.eurostat_path())
        emp = data[(data.indicator == "V16110") & (data.region.str.len() == 4)].dropna(
            subset=["value"]
        )
        t = measure(lambda: lq_pandas_groupby(emp), repeats=3)
    else:
        df = synthetic_cells()
        if name == "lq5m_clusterlib":
            t = measure(lambda: lq_clusterlib(df, level=None))
        elif name == "lq5m_clusterlib_ci":
            t = measure(lambda: lq_clusterlib(df))
        elif name == "lq5m_pandas":
            t = measure(lambda: lq_pandas_groupby(df))
        elif name == "lq5m_numpy":
            a = dense(df)
            t = measure(lambda: lq_numpy_floor(a))
        elif name == "lq5m_ecomplexity":
            t = measure(lambda: lq_ecomplexity(df), repeats=1)
        elif name == "segment100k":
            pass
        else:
            raise SystemExit(f"unknown item {name}")
    if name == "segment100k":
        survey = cl.synthetic_survey(100_000, seed=0, separation=2.0)
        X = cl.build_features(survey)[0]
        t0 = time.perf_counter()
        cl.choose_k(X, k_range=range(2, 9), method="minibatch", sample_size=5000)
        t = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"item": name, "seconds": t, "peak_rss_mb": peak}))


if __name__ == "__main__":
    main(sys.argv[1:])
