"""Hand-computed cases for what the tests missed (issue 23 §5): the axis of the density sum, the
linkage of define_clusters, trimming at the lower bound, and which segment each Jaccard value is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.innovation.weights import survey_weights
from clusterlib.relatedness import relatedness_density
from clusterlib.relatedness.clusters import define_clusters


def test_relatedness_density_with_an_asymmetric_matrix_sums_over_j():
    # RCA (totals r1 10, r2 12, a 9, b 9, c 4, all 22): r1 a .8/(9/22) = 1.96, b .24, c .55;
    # r2 a .20, b (8/12)/(9/22) = 1.63, c (3/12)/(4/22) = 1.375.  So M = r1 [1 0 0], r2 [0 1 1].
    x = pd.DataFrame({"a": [8.0, 1.0], "b": [1.0, 8.0], "c": [1.0, 3.0]}, index=["r1", "r2"])
    # relatedness of row industry i to column industry j; not symmetric
    W = pd.DataFrame([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [4.0, 0.0, 1.0]],
                     index=list("abc"), columns=list("abc"))  # fmt: skip
    got = relatedness_density(x, relatedness=W)
    # omega_ri = sum_j M_rj W_ij / sum_j W_ij, row sums of W: a 3, b 4, c 5
    #   r1: a 1/3, b 0/4, c 4/5;  r2: a 2/3, b (1 + 3)/4, c 1/5
    # (summing over i instead, i.e. W transposed, would give r1 a 1/5, b 2/3, c 0)
    want = pd.DataFrame([[1 / 3, 0.0, 0.8], [2 / 3, 1.0, 0.2]], index=x.index, columns=list("abc"))
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-12)
    assert got.index.tolist() == ["r1", "r2"] and got.columns.tolist() == ["a", "b", "c"]


# Five regions x four industries, chosen so that average and complete linkage cut differently.
LINKAGE = pd.DataFrame(
    [[1, 5, 9, 7], [1, 5, 6, 3], [9, 2, 9, 8], [9, 2, 5, 1], [3, 4, 8, 5]],
    index=[f"r{i}" for i in range(1, 6)], columns=["A", "B", "C", "D"], dtype=float,
)  # fmt: skip


def test_define_clusters_uses_average_linkage():
    # The correlation of two industries' LQs equals that of their shares x_ri / x_r. (an LQ
    # column is the share column times x../x.i, a constant), computed here with numpy:
    shares = LINKAGE.div(LINKAGE.sum(axis=1), axis=0).to_numpy()
    d = 1 - np.corrcoef(shares.T)
    # d(B,C) = 0.200, d(C,D) = 0.387, d(B,D) = 0.880; A is far from all (> 1.7)
    np.testing.assert_allclose([d[1, 2], d[2, 3], d[1, 3]], [0.200, 0.387, 0.880], atol=6e-4)
    assert d[0, 1:].min() > 1.7
    # B and C merge at 0.2. Average linkage: d({B,C}, D) = (0.880 + 0.387) / 2 = 0.633 < 0.7, so
    # D joins them. Complete linkage would use max = 0.880 > 0.7 and leave D alone; single
    # linkage 0.387 would join too, but then A (> 1.7) stays alone under every linkage.
    got = define_clusters(LINKAGE, cut=0.7, n_boot=0)
    assert got["cluster"].to_dict() == {"B": 1, "C": 1, "D": 1, "A": 2}
    assert got.loc[["A", "B"], "n_divisions"].tolist() == [1, 3]
    # at 0.6, between D's average (0.633) and single (0.387) heights, D stays alone: not single
    assert define_clusters(LINKAGE, cut=0.6, n_boot=0)["cluster"].to_dict() == {
        "B": 1, "C": 1, "A": 2, "D": 3,
    }  # fmt: skip


def test_trimming_at_the_lower_bound():
    # One margin, base weights: C24 firms d = 1, 5, 5, 5, 5, 5 (sum 26) to 60 firms, C25 firms
    # d = 1 each to 40. Post-stratified: C24 60 d / 26 = 2.308 and 11.54, C25 10. Mean weight
    # 100 / 10 = 10, trim (0.5, 3): bounds 5 and 30, so one firm (2.308) is below: trimmed to 5
    # and the other C24 firms share the rest, (60 - 5) / 5 = 11 each.
    survey = pd.DataFrame({"nace": ["C24"] * 6 + ["C25"] * 4,
                           "d": [1.0, 5, 5, 5, 5, 5, 1, 1, 1, 1]})  # fmt: skip
    margins = {"nace": {"C24": 60, "C25": 40}}
    w = survey_weights(survey, margins=margins, base="d", trim=(0.5, 3.0))
    np.testing.assert_allclose(w, [5, 11, 11, 11, 11, 11, 10, 10, 10, 10], rtol=1e-9)
    assert w.attrs["n_trimmed"] == 1 and w.min() == pytest.approx(5.0, rel=1e-9)
    # deff = n sum w^2 / (sum w)^2 = 10 (25 + 5 * 121 + 4 * 100) / 100^2 = 1.03
    assert w.attrs["deff"] == pytest.approx(1.03, rel=1e-9)
    # without trimming: the post-stratified weights, nothing trimmed
    plain = survey_weights(survey, margins=margins, base="d")
    np.testing.assert_allclose(plain.iloc[:2], [60 / 26, 300 / 26], rtol=1e-12)
    assert plain.attrs["n_trimmed"] == 0


def test_per_segment_jaccard_belongs_to_its_segment(monkeypatch):
    from clusterlib.segmentation import stability

    class AllFirms:  # every "resample" is all ten firms, so the contingency is known
        def __init__(self, seed):
            pass

        def integers(self, low, high, size):
            return np.arange(size)

    # The original segments: 0 = firms 0-3, 1 = firms 4-5, 2 = firms 6-9. The re-clustering
    # (first resample) puts segment 0 in new segment 2, splits segment 1 (firm 4 -> 0, firm 5
    # -> 1) and segment 2 in new segment 1; the second resample recovers the segments exactly.
    refits = iter(
        [np.array([2, 2, 2, 2, 0, 1, 1, 1, 1, 1]), np.array([0, 0, 0, 0, 1, 1, 2, 2, 2, 2])]
    )
    monkeypatch.setattr(stability.np.random, "default_rng", AllFirms)
    monkeypatch.setattr(stability, "fit_labels", lambda X, **kw: next(refits))
    X = pd.DataFrame({"v": np.arange(10.0)})
    labels = pd.Series([0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
    _, per = stability.segment_stability(X, labels, n_boot=2)
    # first resample, new segment sizes 1, 5, 4:
    #   segment 0: best |0 n D2| / |0 u D2| = 4 / 4 = 1
    #   segment 1: D0 1 / (2 + 1 - 1) = 1/2, D1 1 / (2 + 5 - 1) = 1/6: best 1/2
    #   segment 2: D1 4 / (4 + 5 - 4) = 4/5
    # second resample: 1, 1, 1.  (The best per new segment instead would be 1/2, 4/5, 1.)
    np.testing.assert_allclose(per["jaccard_min"], [1.0, 0.5, 0.8])
    np.testing.assert_allclose(per["jaccard_mean"], [1.0, 0.75, 0.9])
    assert per["size"].tolist() == [4, 2, 4]
    assert per["verdict"].tolist() == ["stable", "stable", "stable"]  # 0.75 is the stable cut
