"""Golden values, each computed by hand in the comment beside it."""

import numpy as np
import pandas as pd
import pytest

from clusterlib import (
    DataValueError,
    cluster_stars,
    ellison_glaeser,
    gini,
    herfindahl,
    hoover_index,
    krugman_index,
    location_quotient,
    location_quotient_ci,
    location_quotient_long,
    locational_gini,
    portfolio,
    shannon_entropy,
    shift_share,
    specialisation_coefficient,
)

# Two regions, two industries. Row totals 100, 100; column totals A 40, B 160; grand total 200.
X = pd.DataFrame({"A": [10.0, 30.0], "B": [90.0, 70.0]}, index=["r1", "r2"])


def test_lq_hand():
    # LQ_r1A = (10/100)/(40/200) = 0.5;  LQ_r1B = (90/100)/(160/200) = 1.125
    # LQ_r2A = (30/100)/(40/200) = 1.5;  LQ_r2B = (70/100)/(160/200) = 0.875
    expected = pd.DataFrame({"A": [0.5, 1.5], "B": [1.125, 0.875]}, index=["r1", "r2"])
    pd.testing.assert_frame_equal(location_quotient(X), expected)


def test_lq_ci_hand():
    # Var(ln LQ_r2A) = 1/30 - 1/100 - 1/40 + 1/200 = 0.0033333; se = 0.0577350
    # 95%: 1.5 * exp(+-1.959964 * 0.0577350) = 1.5 * exp(+-0.1131595) -> [1.339514, 1.679714]
    ci = location_quotient_ci(X).loc[("r2", "A")]
    assert ci["se_log"] == pytest.approx(0.0577350, abs=1e-7)
    assert ci["lq_low"] == pytest.approx(1.339514, abs=1e-6)
    assert ci["lq_high"] == pytest.approx(1.679714, abs=1e-6)
    assert ci["significant"]


def test_lq_with_explicit_base():
    # region totals 200 and 100 (the columns do not exhaust the economy): x.. = 300
    # LQ_r1A = (10/200)/(40/300) = 0.375
    lq = location_quotient(X, region_total=pd.Series({"r1": 200.0, "r2": 100.0}))
    assert lq.loc["r1", "A"] == pytest.approx(0.375)


def test_lq_zero_totals_are_nan_not_inf():
    x = pd.DataFrame({"A": [0.0, 0.0], "B": [0.0, 5.0]}, index=["r1", "r2"])
    lq = location_quotient(x)
    assert np.isnan(lq.loc["r1"]).all()  # zero region total
    assert np.isnan(lq.loc["r2", "A"])  # zero industry total
    assert not np.isinf(lq.to_numpy()).any()


def test_lq_zero_count_interval():
    # x_r1A = 0: LQ = 0, interval [0, upper] with the exact Poisson upper limit -ln(0.025) = 3.688879
    # upper LQ = (3.688879/100) / (30/200) = 0.2459253
    x = pd.DataFrame({"A": [0.0, 30.0], "B": [100.0, 70.0]}, index=["r1", "r2"])
    ci = location_quotient_ci(x).loc[("r1", "A")]
    assert ci["lq"] == 0 and ci["lq_low"] == 0
    assert ci["lq_high"] == pytest.approx(0.2459253, abs=1e-6)


def test_lq_negative_count_error():
    with pytest.raises(DataValueError, match=r"row 'r1', column 'A': counts cannot be negative"):
        location_quotient(X.assign(A=[-1.0, 3.0]))


def test_specialisation_indices_hand():
    # Reference shares S = (40/200, 160/200) = (0.2, 0.8)
    # r1 shares (0.1, 0.9): K = |0.1-0.2| + |0.9-0.8| = 0.2; r2 (0.3, 0.7): K = 0.2
    assert krugman_index(X).tolist() == pytest.approx([0.2, 0.2])
    assert specialisation_coefficient(X).tolist() == pytest.approx([0.1, 0.1])
    # Herfindahl r1 = 0.1^2 + 0.9^2 = 0.82; r2 = 0.09 + 0.49 = 0.58
    assert herfindahl(X).tolist() == pytest.approx([0.82, 0.58])
    # Entropy r1 = 0.1*log2(10) + 0.9*log2(1/0.9) = 0.3321928 + 0.1368027 = 0.4689956
    # Entropy r2 = 0.3*1.7369656 + 0.7*0.5145732 = 0.5210897 + 0.3602012 = 0.8812909
    assert shannon_entropy(X).tolist() == pytest.approx([0.4689956, 0.8812909], abs=1e-7)
    # Krugman against an explicit reference (0.5, 0.5): r1 = 0.4 + 0.4 = 0.8
    ref = pd.Series({"A": 0.5, "B": 0.5})
    assert krugman_index(X, reference=ref)["r1"] == pytest.approx(0.8)


def test_localisation_indices_hand():
    # Hoover A = 1/2 (|10/40 - 100/200| + |30/40 - 100/200|) = 1/2 (0.25 + 0.25) = 0.25
    # Hoover B = 1/2 (|90/160 - 0.5| + |70/160 - 0.5|) = 1/2 (0.0625 + 0.0625) = 0.0625
    assert hoover_index(X).tolist() == pytest.approx([0.25, 0.0625])
    # Locational Gini A: ascending LQ r1 (0.5), r2 (1.5); X = 0, .5, 1; Y = 0, .25, 1
    # G = 1 - [.5 (0 + .25) + .5 (.25 + 1)] = 1 - .75 = 0.25
    assert locational_gini(X)["A"] == pytest.approx(0.25)


def test_gini_hand():
    # [0,0,0,1]: sum_ij |vi - vj| = 6; 2 n^2 mean = 2*16*0.25 = 8 -> 0.75
    assert gini(pd.Series([0.0, 0, 0, 1])) == pytest.approx(0.75)
    # [1,2,3,4]: sum_ij |vi - vj| = 2*(1+2+3+1+2+1) = 20; 2*16*2.5 = 80 -> 0.25
    assert gini(pd.Series([4.0, 1, 3, 2])) == pytest.approx(0.25)
    assert gini(pd.Series([2.0, 2, 2])) == pytest.approx(0.0)


def test_shift_share_hand():
    # start: r1 (A 10, B 90), r2 (A 30, B 0); end: r1 (A 20, B 80), r2 (A 30, B 10)
    # E0 = 130, E1 = 140 -> g = 10/130 = 0.0769231; g_A = 50/40 - 1 = 0.25; g_B = 90/90 - 1 = 0
    s0 = pd.DataFrame({"A": [10.0, 30.0], "B": [90.0, 0.0]}, index=["r1", "r2"])
    s1 = pd.DataFrame({"A": [20.0, 30.0], "B": [80.0, 10.0]}, index=["r1", "r2"])
    ss = shift_share(s0, s1)
    r1a = ss.loc[("r1", "A")]
    # NS = 10 * 0.0769231 = 0.769231; IM = 10 (0.25 - 0.0769231) = 1.730769; RS = 10 (1 - 0.25) = 7.5
    assert r1a[["national_share", "industry_mix", "regional_shift"]].tolist() == pytest.approx(
        [0.769231, 1.730769, 7.5], abs=1e-6
    )
    # Esteban-Marquillas: homothetic = 100 * 40/130 = 30.769231; competitive = 30.769231 * 0.75
    # = 23.076923; allocation = 7.5 - 23.076923 = -15.576923
    assert r1a[["homothetic", "competitive", "allocation"]].tolist() == pytest.approx(
        [30.769231, 23.076923, -15.576923], abs=1e-6
    )
    # r1B: NS = 6.923077, IM = 90 (0 - 0.0769231) = -6.923077, RS = 90 (80/90 - 1) = -10
    assert ss.loc[
        ("r1", "B"), ["national_share", "industry_mix", "regional_shift"]
    ].tolist() == pytest.approx([6.923077, -6.923077, -10.0], abs=1e-6)
    # r2B starts at zero: all of the change (+10) is regional shift, flagged new_industry
    r2b = ss.loc[("r2", "B")]
    assert r2b["new_industry"] and r2b["regional_shift"] == 10 and r2b["national_share"] == 0
    assert not ss.isna().any().any()


def test_shift_share_mismatched_frames():
    with pytest.raises(DataValueError, match="same regions"):
        shift_share(X, X.iloc[::-1])


def test_ellison_glaeser_hand():
    # Plants: three of 10 in r1, one of 10 in r2; region totals 60, 40 -> x = (0.6, 0.4), sum x^2 = 0.52
    # s = (0.75, 0.25); G = 0.15^2 + 0.15^2 = 0.045; H = 4 * 0.25^2 = 0.25
    # gamma_EG = (0.045 - 0.48 * 0.25) / (0.48 * 0.75) = -0.075 / 0.36 = -0.2083333
    # gamma_MS: sum s^2 = 0.625; (0.625 - 0.52)/0.48 = 0.21875; (0.21875 - 0.25)/0.75 = -0.0416667
    plants = pd.DataFrame(
        {"industry": ["X"] * 4, "region": ["r1", "r1", "r1", "r2"], "employment": [10.0] * 4}
    )
    tot = pd.Series({"r1": 60.0, "r2": 40.0})
    eg = ellison_glaeser(plants, tot).loc["X"]
    assert eg["G"] == pytest.approx(0.045) and eg["H"] == pytest.approx(0.25)
    assert eg["gamma"] == pytest.approx(-0.2083333, abs=1e-7)
    ms = ellison_glaeser(plants, tot, method="maurel-sedillot").loc["X"]
    assert ms["gamma"] == pytest.approx(-0.0416667, abs=1e-7)


def test_cluster_stars_hand():
    # ten regions, totals 1000 each; cluster employment 10, 20, ..., 90 and 200 (sum 650)
    # size cut = 90th percentile = 90 + 0.1 (200 - 90) = 101 -> only r10
    # LQ r10 = (200/1000) / (650/10000) = 3.08 >= 2; r9 = 0.09/0.065 = 1.38
    emp = pd.Series(
        [10.0, 20, 30, 40, 50, 60, 70, 80, 90, 200], index=[f"r{i}" for i in range(1, 11)]
    )
    st = cluster_stars(emp, pd.Series(1000.0, index=emp.index))
    assert st.loc["r10", "lq"] == pytest.approx(200 / 1000 / 0.065)
    assert st["stars"].tolist() == [0] * 9 + [3]


def test_portfolio_hand():
    # r1: 100 -> 120 (+20%), r2: 100 -> 90 (-10%); reference 200 -> 210 (+5%)
    # relative growth r1 = 15 pp, r2 = -15 pp; LQ end r1 = (120/1000)/(210/2000) = 1.142857
    p = portfolio(
        pd.Series({"r1": 100.0, "r2": 100.0}),
        pd.Series({"r1": 120.0, "r2": 90.0}),
        region_total_end=pd.Series({"r1": 1000.0, "r2": 1000.0}),
    )
    assert p["relative_growth"].tolist() == pytest.approx([15.0, -15.0])
    assert p.loc["r1", "lq"] == pytest.approx(1.142857, abs=1e-6)
    assert p["quadrant"].tolist() == ["star", "transformational"]


def test_long_form_matches_wide_per_year():
    # two years of random counts: the long-form kernel must equal the wide function year by year
    rng = np.random.default_rng(0)
    frames = []
    for year in (2013, 2014):
        w = pd.DataFrame(
            rng.integers(1, 500, (5, 4)).astype(float),
            index=[f"r{i}" for i in range(5)],
            columns=[f"i{j}" for j in range(4)],
        )
        long = w.stack().rename("value").rename_axis(["region", "industry"]).reset_index()
        frames.append((year, w, long.assign(year=year)))
    data = pd.concat([f[2] for f in frames], ignore_index=True).sample(frac=1, random_state=1)
    out = location_quotient_long(data).join(data)
    for year, w, _ in frames:
        got = out[out.year == year].pivot(index="region", columns="industry", values="lq")
        pd.testing.assert_frame_equal(got, location_quotient(w), check_names=False)
        ci = location_quotient_ci(w)
        got_low = out[out.year == year].set_index(["region", "industry"])["lq_low"]
        np.testing.assert_allclose(got_low.sort_index(), ci["lq_low"].sort_index())
    with pytest.raises(DataValueError, match="field 'value': counts cannot be negative"):
        location_quotient_long(data.assign(value=-data["value"]))


def test_lq_long_interval_equals_the_array_formula_with_zero_counts_and_totals():
    # Shuffled rows with a zero count (A, b), an industry with zero total (c) and a region-industry
    # region with a zero total (B in 2015): the long kernel's reused buffers must give exactly what
    # lq_interval_arrays gives from the gathered totals. Hand check of (A, b) in 2014:
    #   x = 0, x_A. = 10 + 0 = 10, x_.b = 0 + 30 = 30, x_.. = 10 + 0 + 30 + 60 = 100
    #   LQ = 0, interval [0, -ln(0.025) / (10 * 30 / 100)] = [0, 1.22962]
    d = pd.DataFrame(
        {
            "region": ["A", "A", "B", "B", "A", "B", "A", "B"],
            "industry": ["a", "b", "a", "b", "c", "c", "a", "a"],
            "year": [2014] * 6 + [2015] * 2,
            "value": [10.0, 0.0, 60.0, 30.0, 0.0, 0.0, 5.0, 0.0],
        }
    ).sample(frac=1, random_state=3)
    got = location_quotient_long(d)
    from clusterlib.specialisation.lq import lq_interval_arrays

    t = d.assign(
        xr=d.groupby(["region", "year"])["value"].transform("sum"),
        xi=d.groupby(["industry", "year"])["value"].transform("sum"),
        xt=d.groupby("year")["value"].transform("sum"),
    )
    want = lq_interval_arrays(*(t[k].to_numpy() for k in ("value", "xr", "xi", "xt")))
    for k in ("lq", "se_log", "lq_low", "lq_high", "significant"):
        np.testing.assert_allclose(got[k].to_numpy(float), want[k].astype(float), rtol=1e-12)
    ab = got.loc[(d["region"] == "A") & (d["industry"] == "b")].iloc[0]
    assert ab["lq"] == 0 and ab["lq_low"] == 0
    assert ab["lq_high"] == pytest.approx(-np.log(0.025) / 3.0, rel=1e-12)
    assert np.isnan(ab["se_log"]) and not ab["significant"]  # [0, 1.23] holds 1
    c = got.loc[d["industry"] == "c"]
    assert c[["lq", "lq_low", "lq_high"]].isna().all().all() and not c["significant"].any()
    b15 = got.loc[(d["region"] == "B") & (d["year"] == 2015)].iloc[0]  # x_B. = 0: undefined
    assert np.isnan(b15["lq"]) and np.isnan(b15["lq_high"]) and not b15["significant"]


# --- selection by hand ------------------------------------------------------------------------

TIDY = pd.DataFrame(
    {
        "region": ["PL22", "PL22", "PL21", "PL22", "PL21"],
        "industry": ["C24", "C25", "C24", "C24", "C24"],
        "indicator": ["V16110", "V16110", "V16110", "V11210", "V16110"],
        "year": [2014, 2014, 2014, 2014, 2015],
        "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        "flag": ["", "c", "", "", "p"],
    }
)


@pytest.mark.parametrize(
    "kwargs, rows",
    [
        (dict(), [0, 1, 2, 4]),  # every row of the indicator
        (dict(years=2014), [0, 1, 2]),
        (dict(years=np.int64(2015)), [4]),  # a numpy year is one year, not an iterable
        (dict(years=[2015, 2014]), [0, 1, 2, 4]),  # the data's order, whatever the request's
        (dict(regions="PL22"), [0, 1]),
        (dict(industries="C24"), [0, 2, 4]),
        (dict(years=[2014], regions=["PL21", "PL22"], industries=["C25"]), [1]),
    ],
)
def test_select_by_hand(kwargs, rows):
    from clusterlib.io.select import select

    got = select(TIDY, indicator="V16110", **kwargs)
    want = TIDY.loc[rows, ["region", "industry", "year", "value", "flag"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    cat = TIDY.astype({"region": "category", "industry": "category", "flag": "category"})
    pd.testing.assert_frame_equal(select(cat, indicator="V16110", **kwargs), want)  # plain str


def test_select_errors_name_what_is_available():
    from clusterlib.errors import DataFormatError, EmptySelectionError, UnknownCodeError
    from clusterlib.io.select import check_selection, select

    cases = [
        (dict(indicator="V99"), UnknownCodeError,
         "indicator 'V99' is not in the data; available: ['V11210', 'V16110']."),
        (dict(indicator="V11210", years=2015), UnknownCodeError,
         "year(s) [2015] not in the data for V11210; available: [2014]."),
        (dict(indicator="V16110", years=[2014, 2013, 2012]), UnknownCodeError,
         "year(s) [2013, 2012] not in the data for V16110; available: [2014, 2015]."),
        (dict(indicator="V16110", years=2015, industries="C25"), EmptySelectionError,
         "the selection indicator='V16110', years=[2015], regions=None, industries=['C25'] "
         "matches no rows. Widen it."),
    ]  # fmt: skip
    for kwargs, error, message in cases:
        with pytest.raises(error) as err:
            select(TIDY, **kwargs)
        assert str(err.value) == message
    with pytest.raises(UnknownCodeError, match=r"unknown NUTS code\(s\): 'PL23'"):
        select(TIDY, indicator="V16110", regions=["PL23"])
    with pytest.raises(UnknownCodeError, match=r"unknown NACE code\(s\): 'C26'"):
        select(TIDY, indicator="V16110", industries=["C26"])
    with pytest.raises(DataFormatError) as err:
        check_selection(TIDY.drop(columns=["flag", "year"]), indicator="V16110")
    assert str(err.value) == (
        "data: missing column(s) ['year', 'flag']; expected the tidy columns "
        "['region', 'industry', 'indicator', 'year', 'value', 'flag']. Read files with "
        "clusterlib.read_eurostat_tsv or clusterlib.read_table."
    )
    assert check_selection(TIDY, indicator="V16110") is None
    assert check_selection(TIDY, indicator="V16110", years=(2015, 2014)) == [2015, 2014]
