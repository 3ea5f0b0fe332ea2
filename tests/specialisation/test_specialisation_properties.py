"""Property tests (hypothesis) of the specialisation measures and the fill-in."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from clusterlib import krugman_index, location_quotient, shift_share
from clusterlib.specialisation import fill_missing

counts = st.integers(min_value=2, max_value=6).flatmap(
    lambda r: st.integers(min_value=2, max_value=6).flatmap(
        lambda c: arrays(np.float64, (r, c), elements=st.integers(1, 10_000).map(float))
    )
)


def frame(a):
    return pd.DataFrame(
        a, index=[f"r{i}" for i in range(a.shape[0])], columns=[f"i{j}" for j in range(a.shape[1])]
    )


@settings(max_examples=60, deadline=None)
@given(counts)
def test_weighted_mean_lq_is_one(a):
    # sum_r x_r. LQ_ri / x.. = sum_r x_ri / x_.i = 1 for every industry
    x = frame(a)
    lq = location_quotient(x)
    w = x.sum(axis=1)
    np.testing.assert_allclose(lq.mul(w, axis=0).sum() / w.sum(), 1.0, rtol=1e-10)


@settings(max_examples=60, deadline=None)
@given(counts, st.floats(min_value=1e-3, max_value=1e3))
def test_lq_scale_invariant(a, k):
    x = frame(a)
    np.testing.assert_allclose(location_quotient(x * k), location_quotient(x), rtol=1e-10)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_krugman_bounds(a):
    k = krugman_index(frame(a))
    assert ((k >= -1e-12) & (k <= 2 + 1e-12)).all()


@settings(max_examples=60, deadline=None)
@given(counts, counts)
def test_shift_share_adds_up(a, b):
    r, c = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:r, :c].copy(), b[:r, :c]
    a[0, 0] = 0.0  # an industry starting from zero must not break the identity
    ss = shift_share(frame(a), frame(b))
    parts = ss["national_share"] + ss["industry_mix"] + ss["regional_shift"]
    np.testing.assert_allclose(parts, ss["change"], atol=1e-8)
    np.testing.assert_allclose(
        ss["competitive"] + ss["allocation"], ss["regional_shift"], atol=1e-8
    )
    assert not ss[["national_share", "industry_mix", "regional_shift"]].isna().any().any()


@st.composite
def hierarchies(draw):
    """A country XX with NUTS1 XX1, XX2 and NUTS2 children; some children missing."""
    rows = []
    n1 = {"XX1": draw(st.integers(1, 4)), "XX2": draw(st.integers(1, 4))}
    total = 0.0
    for parent, k in n1.items():
        kids = [draw(st.integers(0, 1000)) for _ in range(k)]
        missing = [draw(st.booleans()) for _ in range(k)]
        aux = [draw(st.one_of(st.none(), st.integers(0, 50))) for _ in range(k)]
        for j, (v, m, a) in enumerate(zip(kids, missing, aux, strict=True)):
            rows.append((f"{parent}{j + 1}", np.nan if m else float(v), a))
        rows.append((parent, float(sum(kids)), None))
        total += sum(kids)
    rows.append(("XX", total, None))
    return rows


@settings(max_examples=80, deadline=None)
@given(hierarchies())
def test_fill_preserves_parent_totals(rows):
    cells = pd.DataFrame(
        {
            "region": [r[0] for r in rows],
            "industry": "C24",
            "year": 2014,
            "value": [r[1] for r in rows],
            "flag": "",
        }
    )
    aux = pd.DataFrame(
        {
            "region": [r[0] for r in rows],
            "industry": "C24",
            "year": 2014,
            "value": [np.nan if r[2] is None else float(r[2]) for r in rows],
            "flag": "",
        }
    )
    out = fill_missing(cells, auxiliary=aux).set_index("region")
    was_missing = cells.set_index("region")["value"].isna()
    assert not out["value"].isna().any()  # every parent is known here
    assert (out.loc[was_missing[was_missing].index, "flag"] == "imputed").all()
    assert out.loc[was_missing[was_missing].index, "imputed"].all()
    assert not out.loc[was_missing[~was_missing].index, "imputed"].any()
    for parent in ("XX1", "XX2"):
        kids = out[out.index.str.startswith(parent) & (out.index.str.len() == 4)]
        np.testing.assert_allclose(kids["value"].sum(), out.loc[parent, "value"], rtol=1e-9)
