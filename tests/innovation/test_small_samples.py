import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlib import fit_model, synthetic_survey
from clusterlib.errors import SeparationError
from clusterlib.innovation import EventsPerVariableWarning, bootstrap_ame

ENDO = pd.read_csv("tests/data/endometrial.csv")


def test_separation_is_named():
    # Heinze & Schemper (2002): every patient with neovasculization (NV = 1) has high grade
    with pytest.raises(
        SeparationError,
        match=r"quasi-complete separation by \['NV'\]: every firm "
        r"with NV = 1 has HG = 1.*family='firth'",
    ):
        fit_model("HG ~ NV + PI + EH", ENDO)


def test_no_separation_without_nv():
    m = fit_model("HG ~ PI + EH", ENDO)
    assert np.isfinite(m.params).all()


def test_firth_matches_published_example():
    # logistf (R) on the endometrial data, as published with Heinze & Schemper (2002):
    # intercept 3.77456, NV 2.92927, PI -0.03475, EH -2.60416; Wald SEs 1.48869, 1.55076,
    # 0.03958, 0.77602 (brglm2 reference manual, same estimator).
    m = fit_model("HG ~ NV + PI + EH", ENDO, family="firth", cov_type="nonrobust")
    np.testing.assert_allclose(m.params, [3.77456, 2.92927, -0.03475, -2.60416], atol=1e-5)
    np.testing.assert_allclose(m.bse, [1.48869, 1.55076, 0.03958, 0.77602], atol=1e-5)
    assert np.isfinite(m.ame["estimate"]).all()


def test_firth_rejects_robust_cov():
    with pytest.raises(ValueError, match="firth' supports cov_type='nonrobust' only"):
        fit_model("HG ~ NV + PI + EH", ENDO, family="firth", cov_type="HC1")


def test_events_per_variable_warning():
    # 60 firms, 6 events, 3 regressors: EPV = 2
    df = synthetic_survey(60, seed=2)
    df["y"] = 0.0
    df.loc[df.index[:6], "y"] = 1.0
    with pytest.warns(EventsPerVariableWarning, match=r"only 2.0 events per variable"):
        try:
            fit_model("y ~ employees + age + export_share", df)
        except SeparationError:
            pass


def test_bootstrap_is_seeded_and_covers_the_estimate():
    df = synthetic_survey(400, seed=4)
    f = "product_innovation ~ rd_inhouse + export_share"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = bootstrap_ame(f, df, n_boot=40, seed=9)
        b = bootstrap_ame(f, df, n_boot=40, seed=9)
        c = bootstrap_ame(f, df, n_boot=40, seed=10, groups="region")
    pd.testing.assert_frame_equal(a, b)
    assert ((a["ci_low"] < a["estimate"]) & (a["estimate"] < a["ci_high"])).all()
    assert (a["n_ok"] == 40).all()
    assert not a[["ci_low", "ci_high"]].equals(c[["ci_low", "ci_high"]])
    # the bootstrap s.e. is close to the delta-method s.e. on this well-behaved sample
    delta = fit_model(f, df, cov_type="nonrobust").ame["se"]
    np.testing.assert_allclose(a["boot_se"], delta, rtol=0.5)


def test_firth_converges_on_tiny_separated_region():
    # 34 firms, 10 events, 10 regressors, quasi-separated (one university cooperator): the case of
    # PL34 in the default synthetic survey, which once hit the iteration limit
    from clusterlib import read_survey
    from clusterlib.chapters.innovation_tables import regional_model

    s = read_survey("data/survey/synthetic_survey.csv")
    f = (
        "product_innovation ~ rd_inhouse + coop_suppliers + coop_customers + coop_universities + "
        "coop_bsi + cluster_member + public_support + export_share + np.log(employees / 50) + "
        "I((age - 20) / 10)"
    )
    model, why = regional_model(f, s[s.region == "PL34"])
    assert model.family == "firth" and np.isfinite(model.params).all()
    assert "Firth" in why and "very uncertain" in why


def test_vectorised_logit_bootstrap_equals_refitting_every_resample():
    # The fast route (Newton vectorised over resamples) must give exactly the refitting route's
    # AMEs, and skip the same resamples (separated or without variation) on a small sample.
    import warnings

    import numpy as np

    from clusterlib import fit_model, read_survey
    from clusterlib.config import survey_dir
    from clusterlib.innovation import bootstrap as b

    s = read_survey(survey_dir() / "synthetic_survey.csv")
    small = s[s["region"] == "PL34"].iloc[:60]
    f = "product_innovation ~ rd_inhouse + coop_customers + export_share"
    model = fit_model(f, small, cov_type="nonrobust")
    rng = np.random.default_rng(3)
    picks = [rng.integers(0, len(small), len(small)) for _ in range(120)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slow = b._refit_boot(f, small, "logit", picks)
    fast = b._logit_boot(model, picks)
    assert fast.shape == slow.shape and 0 < fast.shape[1] < 120  # some resamples are skipped
    np.testing.assert_allclose(fast.to_numpy(), slow.to_numpy(), atol=1e-8)
