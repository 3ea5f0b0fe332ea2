import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlib import (
    DataValueError,
    build_features,
    choose_k,
    gap_statistic,
    gower_distance,
    segment_firms,
    segment_profiles,
    segment_stability,
    synthetic_survey,
)
from clusterlib.figures import criteria_plot, pca_biplot, profile_heatmap, silhouette_plot
from clusterlib.segmentation import DEFAULT_FEATURES, within_dispersion

# Separation 2.0 is the lowest level at which k-means at the true k = 4 reaches ARI >= 0.8
# (0.81-0.82 over seeds 0-2, n = 3000); at 2.5 it reaches 0.90-0.92, which the test uses.
SEPARATION = 2.5


@pytest.fixture(scope="module")
def survey():
    return synthetic_survey(3000, seed=0, separation=SEPARATION)


@pytest.fixture(scope="module")
def features(survey):
    return build_features(survey)[0]


def test_true_k_recovers_segments(survey, features):
    labels = segment_firms(features, k=4, method="kmeans", seed=0)
    assert adjusted_rand_score(survey["segment"], labels) >= 0.8


def test_same_seed_same_labels(features):
    for method in ("kmeans", "minibatch", "gmm", "ward"):
        a = segment_firms(features, k=4, method=method, seed=3)
        b = segment_firms(features, k=4, method=method, seed=3)
        pd.testing.assert_series_equal(a, b)
    sizes = segment_firms(features, k=4).value_counts().sort_index()
    assert sizes.is_monotonic_decreasing  # segment 0 is the largest


def test_gmm_selects_k_by_bic(features):
    labels = segment_firms(features, method="gmm", k_range=range(2, 6))
    assert 2 <= labels.attrs["k"] <= 5


def test_average_gower_on_mixed_data(survey):
    raw = survey[["export_share", "employees", "rd_inhouse", "nace"]].iloc[:300]
    labels = segment_firms(raw, k=3, method="average-gower")
    assert labels.nunique() == 3 and len(labels) == 300


def test_choose_k_rule(survey, features):
    table = choose_k(features, k_range=range(2, 7))
    assert set(table.columns) == {
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "gmm_bic",
        "gap",
        "gap_s",
    }
    assert table.attrs["recommended_k"] == 4  # the true number of segments
    assert len(table.attrs["votes"]) == 5 and "median" in table.attrs["rule"]


def test_gower_hand():
    # a numeric (range 4), b categorical, c binary with a missing value
    # d(0,1) = (|1-3|/4 + 1 + |0-1|/1) / 3 = 2.5/3 = 0.833333
    # d(0,2) = (|1-5|/4 + 0) / 2 = 0.5  (c missing: compared on a and b only)
    # d(1,2) = (|3-5|/4 + 1) / 2 = 0.75
    df = pd.DataFrame({"a": [1.0, 3, 5], "b": ["x", "y", "x"], "c": [0.0, 1, np.nan]})
    D = gower_distance(df)
    expected = np.array([[0, 0.833333, 0.5], [0.833333, 0, 0.75], [0.5, 0.75, 0]])
    np.testing.assert_allclose(D, expected, atol=1e-6)
    # weights: b counted twice -> d(0,1) = (0.5 + 2 + 1) / 4 = 0.875
    w = pd.Series({"a": 1.0, "b": 2.0, "c": 1.0})
    assert gower_distance(df, weights=w)[0, 1] == pytest.approx(0.875)


def test_gap_statistic_hand():
    # X = 0, 2, 10, 14. W_1 = 6.5^2 + 4.5^2 + 3.5^2 + 7.5^2 = 131; W_2 = (1 + 1) + (4 + 4) = 10
    # references R1 = 0, 4, 8, 12 and R2 = 1, 5, 9, 13: W*_1 = 80, W*_2 = 16 for both
    # Gap(1) = log 80 - log 131 = -0.493170; Gap(2) = log 16 - log 10 = 0.470004; s = 0
    # Gap(1) >= Gap(2) - s_2 fails, so the chosen k is 2
    X = pd.DataFrame({"x": [0.0, 2, 10, 14]})
    assert within_dispersion(X.to_numpy(), np.array([0, 0, 1, 1])) == pytest.approx(10.0)
    refs = [np.array([[0.0], [4], [8], [12]]), np.array([[1.0], [5], [9], [13]])]
    g = gap_statistic(X, k_range=range(1, 3), references=refs)
    np.testing.assert_allclose(g["gap"], [-0.493170, 0.470004], atol=1e-6)
    np.testing.assert_allclose(g["s"], [0, 0], atol=1e-12)
    assert g.attrs["k"] == 2


def test_gap_statistic_is_seeded(features):
    a = gap_statistic(features.iloc[:500], k_range=range(1, 4), n_refs=3, seed=1)
    b = gap_statistic(features.iloc[:500], k_range=range(1, 4), n_refs=3, seed=1)
    pd.testing.assert_frame_equal(a, b)


def test_stability(features):
    labels = segment_firms(features, k=4)
    ari, per = segment_stability(features, labels, n_boot=10, seed=0)
    assert ari["mean"] > 0.8 and (per["verdict"] == "stable").all()
    # too many segments for the structure: some segment is less stable
    labels8 = segment_firms(features, k=8)
    _, per8 = segment_stability(features, labels8, n_boot=10, seed=0)
    assert per8["jaccard_mean"].min() < per["jaccard_mean"].min()


def test_profiles_and_labels(survey, features):
    labels = segment_firms(features, k=4)
    p = segment_profiles(survey, labels, n_boot=50)
    assert p["size"].sum() == len(survey)
    truth = pd.crosstab(labels, survey["segment"]).idxmax(axis=1)
    seg = truth[truth == "R&D-linked innovators"].index[0]
    assert p.loc[seg, "label"] == "science-linked innovators"
    assert (p["science_links_low"] <= p["science_links"]).all()
    assert (p["science_links"] <= p["science_links_high"]).all()
    rate = survey.groupby(labels)["product_innovation"].mean()
    np.testing.assert_allclose(p["innovation_rate"], rate)


def test_figures(survey, features):
    labels = segment_firms(features, k=4)
    p = segment_profiles(survey, labels, n_boot=20)
    table = choose_k(features.iloc[:600], k_range=range(2, 5))
    for fig in (
        criteria_plot(table),
        profile_heatmap(p, list(DEFAULT_FEATURES)),
        pca_biplot(features, labels),
        silhouette_plot(features.iloc[:500], labels.iloc[:500]),
    ):
        ax = fig.axes[0]
        assert ax.get_xlabel() and (ax.get_title() or fig._suptitle is not None)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"features": ["science_links", "nope"]}, r"features: unknown name\(s\) \['nope'\]"),
        ({"features": ["science_links", "synthetic"]}, r"feature 'synthetic' is constant"),
    ],
)
def test_feature_errors(survey, kwargs, pattern):
    with pytest.raises(DataValueError, match=pattern):
        build_features(survey, **kwargs)


def test_all_missing_and_nan_errors(survey):
    df = survey.iloc[:100].copy()
    df["export_share"] = np.nan
    with pytest.raises(DataValueError, match="feature 'export_share' is missing for every firm"):
        build_features(df)
    df = survey.iloc[:100].copy()
    df.loc[df.index[5], "export_share"] = np.nan
    with pytest.raises(
        DataValueError, match=r"missing values: \{'export_share': 1\}.*impute='median'"
    ):
        build_features(df)
    assert len(build_features(df, impute="drop")[0]) == 99
    assert not build_features(df, impute="median")[0].isna().any().any()


def test_fewer_firms_than_k(features):
    with pytest.raises(DataValueError, match="only 3 firms for k = 4 segments"):
        segment_firms(features.iloc[:3], k=4)


def test_every_region_shape_is_polygonal():
    # make_valid turns three voivodeships into GeometryCollections; only polygons may remain,
    # otherwise outlining the focal region fails (PL42, PL52, PL63 did)
    from clusterlib.figures.maps import choropleth, region_shapes

    for country in ("PL", None):
        shapes = region_shapes(country)
        assert set(shapes.geom_type) <= {"Polygon", "MultiPolygon"} and shapes.is_valid.all()
    fig = choropleth(pd.Series({"PL42": 1.2, "PL22": 0.8}), country="PL", focal="PL42")
    assert fig.axes[0].get_title() == ""


def test_choose_k_on_a_large_survey_recommends_the_true_k():
    # 30,000 firms (above the 5,000-firm subsample of GMM BIC and gap): the synthetic survey's
    # data-generating process has 4 segments (clusterlib.innovation.synthetic.SEGMENTS); at
    # separation 2 every criterion finds them
    from clusterlib import build_features, synthetic_survey
    from clusterlib.innovation.synthetic import SEGMENTS

    X, _ = build_features(synthetic_survey(30_000, seed=3, separation=2.0))
    table = choose_k(X, k_range=range(2, 7), method="minibatch", sample_size=2000, seed=0)
    assert table.attrs["recommended_k"] == len(SEGMENTS) == 4
    assert set(table.attrs["votes"].values()) == {4}


# --- Gower distance: every branch against a hand calculation (issue #15) ------------------------


def test_gower_zero_range_feature_contributes_zero():
    # a is constant (range 0: contributes 0); b has range 10: d(0, 1) = (0 + |0 - 10|/10) / 2
    from clusterlib.segmentation import gower_distance

    d = gower_distance(pd.DataFrame({"a": [5.0, 5.0, 5.0], "b": [0.0, 10.0, 5.0]}))
    assert d[0, 1] == pytest.approx(0.5) and d[0, 2] == pytest.approx(0.25)


def test_gower_declared_categorical_numeric_column():
    # x = 0, 1, 2 compared by equality: d(0, 1) = 1 (as numeric it would be |0 - 1| / 2 = 0.5)
    from clusterlib.segmentation import gower_distance

    X = pd.DataFrame({"x": [0.0, 1.0, 2.0]})
    assert gower_distance(X, categorical=["x"])[0, 1] == 1.0
    assert gower_distance(X)[0, 1] == pytest.approx(0.5)


def test_gower_pairs_compared_on_common_features_only():
    # rows 0 and 1 share only a (b missing in row 0): d = |1 - 3| / range(a) = 2 / 2 = 1;
    # rows 0 and 2 share a: |1 - 2| / 2 = 0.5; rows 1 and 2 share a and b: (0.5 + 1) / 2
    from clusterlib.segmentation import gower_distance

    X = pd.DataFrame({"a": [1.0, 3.0, 2.0], "b": [np.nan, 7.0, 3.0]})
    d = gower_distance(X)
    assert d[0, 1] == pytest.approx(1.0) and d[0, 2] == pytest.approx(0.5)
    assert d[1, 2] == pytest.approx(0.75)
    # no feature in common: undefined, NaN (never 0)
    Y = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]})
    assert np.isnan(gower_distance(Y)[0, 1])


def test_gower_weights():
    # weight 0 drops a feature; weight 3 on b: d = (1 * 1 + 3 * 0.5) / 4
    from clusterlib.errors import DataValueError
    from clusterlib.segmentation import gower_distance

    X = pd.DataFrame({"a": [0.0, 1.0], "b": [0.0, 1.0], "c": [0.0, 0.5]})
    X.loc[2] = [0.0, 2.0, 1.0]
    d = gower_distance(X, weights=pd.Series({"a": 1.0, "b": 0.0, "c": 3.0}))
    assert d[0, 1] == pytest.approx((1 * 1 + 3 * 0.5) / 4)
    for bad in (
        {"a": -1.0, "b": 1.0, "c": 1.0},
        {"a": np.nan, "b": 1.0, "c": 1.0},
        {"a": 1.0, "b": 1.0},
    ):
        with pytest.raises(
            DataValueError, match=r"^weights: need a non-negative weight for every column\.$"
        ):
            gower_distance(X, weights=pd.Series(bad))


def test_gower_bad_input_messages():
    from clusterlib.errors import DataValueError
    from clusterlib.segmentation import gower_distance

    with pytest.raises(DataValueError, match=r"^gower_distance: no rows\.$"):
        gower_distance(pd.DataFrame({"a": []}))
    with pytest.raises(
        DataValueError, match=r"^categorical: \['zz'\] are not columns of the data\.$"
    ):
        gower_distance(pd.DataFrame({"a": [1.0, 2.0]}), categorical=["zz"])


@pytest.mark.parametrize("method, sample_size", [("kmeans", 150), ("ward", None)])
def test_choose_k_columns_are_the_criteria_of_its_partitions(features, method, sample_size):
    # peer implementations: scikit-learn's criteria and GaussianMixture on the same partitions
    # (fit_labels, seeded), and gap_statistic called directly; the votes and the rule by hand
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
    from sklearn.mixture import GaussianMixture

    from clusterlib.segmentation.methods import fit_labels

    X = features.iloc[:400]
    A = X.to_numpy(float)
    table = choose_k(X, k_range=range(2, 6), method=method, seed=3, sample_size=sample_size,
                     n_refs=2)  # fmt: skip
    assert table.index.tolist() == [2, 3, 4, 5]
    for k in range(2, 6):
        labels = fit_labels(X, k=k, method=method, seed=3)
        row = table.loc[k]
        assert row["silhouette"] == pytest.approx(
            silhouette_score(A, labels, sample_size=sample_size, random_state=3), rel=1e-12
        )
        assert row["calinski_harabasz"] == pytest.approx(
            calinski_harabasz_score(A, labels), rel=1e-12
        )
        assert row["davies_bouldin"] == pytest.approx(davies_bouldin_score(A, labels), rel=1e-12)
        bic = GaussianMixture(n_components=k, random_state=3).fit(A).bic(A)
        assert row["gmm_bic"] == pytest.approx(bic, rel=1e-12)
    gap = gap_statistic(X, k_range=range(2, 6), n_refs=2, seed=3, method="kmeans")
    np.testing.assert_allclose(table["gap"], gap["gap"], rtol=1e-12)
    np.testing.assert_allclose(table["gap_s"], gap["s"], rtol=1e-12)
    votes = {
        "silhouette": int(table["silhouette"].idxmax()),
        "calinski_harabasz": int(table["calinski_harabasz"].idxmax()),
        "davies_bouldin": int(table["davies_bouldin"].idxmin()),
        "gmm_bic": int(table["gmm_bic"].idxmin()),
        "gap": gap.attrs["k"],
    }
    assert table.attrs["votes"] == votes
    v = sorted(votes.values())
    assert table.attrs["recommended_k"] == v[2]  # the median of five votes is the third
    assert table.attrs["vote_counts"] == {k: v.count(k) for k in set(v)}
    assert table.attrs["rule"].startswith("Each criterion votes for its best k")


def test_choose_k_subsamples_large_surveys_for_bic_and_gap(monkeypatch):
    # above the subsample size the GMM and the gap statistic see a seeded sample of that size
    from clusterlib.segmentation import selection

    X = build_features(synthetic_survey(700, seed=1, separation=SEPARATION))[0]
    monkeypatch.setattr(selection, "_SUBSAMPLE", 300)
    seen = []
    real = selection.gap_statistic

    def spy(data, **kwargs):
        seen.append((data.index.tolist(), kwargs["k_range"], kwargs["method"]))
        return real(data, **kwargs)

    monkeypatch.setattr(selection, "gap_statistic", spy)
    table = choose_k(X, k_range=range(2, 4), seed=5, n_refs=2, method="minibatch")
    want = X.sample(300, random_state=5)
    # the gap statistic sees the sample, the same k and mini-batch k-means
    assert seen == [(want.index.tolist(), range(2, 4), "minibatch")]
    seen.clear()
    choose_k(X.iloc[:300], k_range=range(2, 4), seed=5, n_refs=2, method="ward")
    # exactly the subsample size: every firm in its own order; other methods: k-means references
    assert seen == [(X.index[:300].tolist(), range(2, 4), "kmeans")]
    S = want.to_numpy(float)
    from sklearn.mixture import GaussianMixture

    assert table.loc[3, "gmm_bic"] == pytest.approx(
        GaussianMixture(n_components=3, random_state=5).fit(S).bic(S), rel=1e-12
    )


@pytest.mark.parametrize(
    "k_range, message",
    [
        (range(2, 2), "k_range: expected a non-empty range of whole numbers, got range(2, 2)."),
        ([2, 3.5], "k_range: expected a non-empty range of whole numbers, got [2, 3.5]."),
        ([True, 3], "k_range: expected a non-empty range of whole numbers, got [True, 3]."),
        (range(1, 4), "k_range: internal criteria need k >= 2, got range(1, 4); use e.g. "
                      "range(2, 9)."),
    ],
)  # fmt: skip
def test_choose_k_range_errors(features, k_range, message):
    from clusterlib.errors import OptionError

    with pytest.raises(OptionError) as err:
        choose_k(features.iloc[:50], k_range=k_range)
    assert str(err.value) == message


def test_gap_references_are_uniform_over_each_features_range(features):
    # Tibshirani et al.'s option (a): B uniform draws over each feature's range, from
    # numpy.random.default_rng(seed); given the same draws explicitly, the same table
    X = features.iloc[:200, :3]
    A = X.to_numpy(float)
    rng = np.random.default_rng(7)
    refs = [rng.uniform(A.min(axis=0), A.max(axis=0), size=A.shape) for _ in range(3)]
    drawn = gap_statistic(X, k_range=range(1, 4), n_refs=3, seed=7)
    given = gap_statistic(X, k_range=range(1, 4), seed=7, references=refs)
    pd.testing.assert_frame_equal(drawn, given)
    assert drawn.attrs["k"] == given.attrs["k"]
    # s_k = sd(log W*) sqrt(1 + 1/B) with the population sd (1/B), as in the paper
    from clusterlib.segmentation.methods import fit_labels

    logw = [np.log(within_dispersion(R, fit_labels(pd.DataFrame(R), k=2, seed=7, n_init=3)))
            for R in refs]  # fmt: skip
    assert drawn.loc[2, "ref_log_w"] == pytest.approx(np.mean(logw), rel=1e-12)
    assert drawn.loc[2, "s"] == pytest.approx(np.std(logw) * np.sqrt(1 + 1 / 3), rel=1e-12)
    lw = np.log(within_dispersion(A, fit_labels(X, k=2, seed=7, n_init=3)))
    assert drawn.loc[2, "log_w"] == pytest.approx(lw, rel=1e-12)
    mini = gap_statistic(X, k_range=range(2, 4), n_refs=1, seed=7, method="minibatch")
    lw_mini = np.log(within_dispersion(A, fit_labels(X, k=3, method="minibatch", seed=7,
                                                     n_init=3)))  # fmt: skip
    assert mini.loc[3, "log_w"] == pytest.approx(lw_mini, rel=1e-12)
    assert drawn.loc[2, "gap"] == pytest.approx(np.mean(logw) - lw, rel=1e-12)
    # k = 1 is the whole sample: W_1 is the total sum of squares about the mean
    assert drawn.loc[1, "log_w"] == pytest.approx(np.log(((A - A.mean(axis=0)) ** 2).sum()))


def test_defaults_are_the_documented_ones(features):
    # choose_k: k 2-8, k-means, seed 0, silhouette on up to 5,000 firms, 5 gap references;
    # gap_statistic: k 1-8, 10 references, seed 0, k-means
    X = features.iloc[:150, :4]
    pd.testing.assert_frame_equal(
        choose_k(X),
        choose_k(X, k_range=range(2, 9), method="kmeans", seed=0, sample_size=5000, n_refs=5),
    )
    pd.testing.assert_frame_equal(
        gap_statistic(X), gap_statistic(X, k_range=range(1, 9), n_refs=10, seed=0, method="kmeans")
    )
    assert choose_k(X).index.tolist() == list(range(2, 9))
