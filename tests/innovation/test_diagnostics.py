import numpy as np
import pandas as pd
import pytest
from scipy import stats

from clusterlib import fit_model, synthetic_survey
from clusterlib.chapters.effects import SYNTHETIC_BANNER, summarise_effects
from clusterlib.figures import ame_forest_plot
from clusterlib.innovation import diagnostics, hosmer_lemeshow, link_test, vif


@pytest.fixture(scope="module")
def survey():
    return synthetic_survey(2000, seed=12)


def test_hosmer_lemeshow_hand():
    # 4 firms in 2 groups: p = (.1, .2 | .6, .9), y = (0, 1 | 1, 1)
    # group 1: O = 1, E = 0.3, n = 2 -> (0.7)^2 / (0.3 * 0.85) = 1.921569
    # group 2: O = 2, E = 1.5, n = 2 -> (0.5)^2 / (1.5 * 0.25) = 0.666667;  C = 2.588235, df 0
    c, _ = hosmer_lemeshow(np.array([0.0, 1, 1, 1]), np.array([0.1, 0.2, 0.6, 0.9]), groups=2)
    assert c == pytest.approx(2.588235, abs=1e-6)


def test_auc_brier_vif_hand():
    # AUC: y = (0,0,1,1), p = (.1,.4,.35,.8): of the 4 (positive, negative) pairs 3 are ordered -> .75
    df = pd.DataFrame({"y": [0.0, 0, 1, 1], "x": [0.1, 0.4, 0.35, 0.8]})
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(df.y, df.x) == 0.75
    # VIF with two regressors of correlation r: 1 / (1 - r^2)
    rng = np.random.default_rng(0)
    a = rng.normal(size=500)
    b = 0.8 * a + 0.6 * rng.normal(size=500)
    data = pd.DataFrame({"a": a, "b": b, "y": (rng.random(500) < 0.5).astype(float)})
    m = fit_model("y ~ a + b", data)
    r = np.corrcoef(a, b)[0, 1]
    np.testing.assert_allclose(vif(m)["vif"], 1 / (1 - r**2), rtol=1e-8)


def test_diagnostics_on_well_specified_model(survey):
    m = fit_model(
        "product_innovation ~ rd_inhouse + coop_customers + export_share + np.log(employees / 50)",
        survey,
    )
    d = diagnostics(m)
    p = 1 / (1 + np.exp(-(m.exog.to_numpy() @ m.params.to_numpy())))
    y = m.endog.to_numpy()
    assert d["brier"] == pytest.approx(np.mean((p - y) ** 2))
    assert d["mcfadden_r2"] == pytest.approx(1 - m.result.llf / m.result.llnull)
    assert d["aic"] == pytest.approx(m.result.aic)
    assert 0.6 < d["auc"] < 0.9 and d["linktest_p"] > 0.01 and d["hl_p"] > 0.01


def test_link_test_detects_misspecification():
    # outcome depends on x^2; a model linear in x fails the link test
    rng = np.random.default_rng(1)
    x = rng.normal(size=3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-(-1 + 1.5 * x**2)))).astype(float)
    m = fit_model("y ~ x", pd.DataFrame({"x": x, "y": y}))
    assert link_test(m)[1] < 0.001 or diagnostics(m)["hl_p"] < 0.001


def test_summary_and_forest(survey):
    m = fit_model("product_innovation ~ rd_inhouse + coop_universities + export_share", survey)
    text = summarise_effects(m)  # synthetic survey: the banner comes by itself
    top = m.ame["estimate"].abs().idxmax()
    assert text.startswith(SYNTHETIC_BANNER)
    assert f"{abs(m.ame.loc[top, 'estimate']) * 100:.1f} percentage points" in text
    assert "in-house R&D" in text
    fig = ame_forest_plot({"Logit": m.ame}, source="synthetic")
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("Change in probability") and ax.get_title()
    # first regressor on top: labels in model order at descending positions
    assert [t.get_text() for t in ax.get_yticklabels()] == list(m.ame.index)
    assert list(ax.get_yticks()) == sorted(ax.get_yticks(), reverse=True)


def test_chi2_reference():
    # sanity of the reference distribution used by Hosmer-Lemeshow: chi2(8) 95% point = 15.507
    assert stats.chi2.ppf(0.95, 8) == pytest.approx(15.507, abs=1e-3)
