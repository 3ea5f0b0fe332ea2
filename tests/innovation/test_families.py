"""The family registry, the covariance module, the groups= keyword and the model modules' imports."""

import ast
import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlib.errors import OptionError
from clusterlib.innovation import FAMILIES, Family, bootstrap_ame, family_of, fit_model
from clusterlib.innovation.covariance import group_scores, hc_weights, sandwich, wald_table
from clusterlib.innovation.synthetic import synthetic_survey
from clusterlib.options import Family as FamilyName
from clusterlib.options import choices

# what the 28 string comparisons of the family said before the registry (issue 24)
BINARY = {"logit", "probit", "firth"}
COUNT = {"poisson", "negbin"}
WEIGHTED = {"logit", "probit", "fraclogit", "poisson"}
SEPARATION = {"logit", "probit"}
PERCENT = {"logit", "probit", "firth", "fraclogit", "ologit"}


@pytest.fixture(scope="module")
def survey():
    return synthetic_survey(600, seed=3)


def test_registry_holds_every_family_option_in_order():
    assert tuple(FAMILIES) == choices(FamilyName)
    for name, fam in FAMILIES.items():
        assert fam.name == name and family_of(name) is fam and family_of(fam) is fam


def test_family_attributes_match_the_former_string_lists():
    for name, f in FAMILIES.items():
        assert f.is_binary == (name in BINARY), name
        assert f.is_count == (name in COUNT), name
        assert f.is_ordered == (name == "ologit"), name
        assert f.weighted == (name in WEIGHTED), name
        assert f.separation_check == (name in SEPARATION), name
        assert f.is_probability == (name in PERCENT), name
        assert f.single_index == (name != "ologit"), name
        assert f.robust == (name != "firth"), name
        assert f.default_cov_type == ("nonrobust" if name == "firth" else "HC1"), name
        assert f.extra_params == (name == "negbin"), name
        assert f.refit_as == ("logit" if name == "firth" else name), name
    assert {n for n, f in FAMILIES.items() if f.link == "logit"} == {"logit", "firth", "fraclogit"}
    assert {n for n, f in FAMILIES.items() if f.link == "log"} == COUNT
    assert {n for n, f in FAMILIES.items() if f.glm is not None} == WEIGHTED


def test_unknown_family_is_an_option_error_listing_the_names():
    with pytest.raises(OptionError) as err:
        family_of("logistic")
    msg = str(err.value)
    assert all(repr(n) in msg for n in FAMILIES) and "Did you mean 'logit'?" in msg
    with pytest.raises(OptionError, match="found 3"):
        family_of(3)


def test_families_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        FAMILIES["logit"].link = "probit"
    with pytest.raises(TypeError):
        FAMILIES["new"] = Family(name="new", link="logit", outcome="binary", fitter="glm")


def test_means_and_derivatives_by_hand_and_by_differences():
    zero = np.array([0.0])
    logit, probit, poisson = (family_of(n) for n in ("logit", "probit", "poisson"))
    assert logit.mean(zero)[0] == 0.5 and logit.derivatives(zero)[0][0] == 0.25
    assert logit.derivatives(zero)[1][0] == 0.0  # the logistic density peaks at 0
    assert probit.derivatives(zero)[0][0] == pytest.approx(1 / np.sqrt(2 * np.pi), rel=1e-15)
    assert probit.derivatives(np.array([1.0]))[1][0] == pytest.approx(
        -np.exp(-0.5) / np.sqrt(2 * np.pi), rel=1e-15
    )
    assert poisson.mean(np.array([1.0]))[0] == pytest.approx(np.e, rel=1e-15)
    eta, h = np.linspace(-3, 3, 13), 1e-5
    for f in FAMILIES.values():
        if not f.single_index:
            assert f.mean is None and f.derivatives is None
            continue
        d1, d2 = f.derivatives(eta)
        np.testing.assert_allclose(d1, (f.mean(eta + h) - f.mean(eta - h)) / (2 * h), rtol=1e-8)
        num2 = (f.derivatives(eta + h)[0] - f.derivatives(eta - h)[0]) / (2 * h)
        np.testing.assert_allclose(d2, num2, rtol=1e-6, atol=1e-9)


def test_outcome_checks_of_each_kind():
    v = np.array([0.0, 1.0, 2.0, 0.5, -1.0, 1.5])
    assert family_of("logit").invalid(v).tolist() == [False, False, True, True, True, True]
    assert family_of("fraclogit").invalid(v).tolist() == [False, False, True, False, True, True]
    assert family_of("negbin").invalid(v).tolist() == [False, False, False, True, True, True]
    assert family_of("ologit").invalid is None


def test_sandwich_by_hand():
    B = np.array([[2.0, 0.0], [0.0, 1.0]])
    S = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0], [0.0, -3.0]])
    meat = S.T @ S  # [[2, -1], [-1, 14]]
    np.testing.assert_array_equal(sandwich(B, S, cov_type="HC0"), B @ meat @ B)
    np.testing.assert_array_equal(sandwich(B, S, cov_type="HC1"), B @ (2 * meat) @ B)  # 4/(4-2)
    h = np.array([0.5, 0.5, 0.75, 0.0])
    w2, w3 = np.array([2.0, 2, 4, 1]), np.array([4.0, 4, 16, 1])
    np.testing.assert_allclose(sandwich(B, S, cov_type="HC2", leverage=h), B @ (S.T * w2 @ S) @ B)
    np.testing.assert_allclose(sandwich(B, S, cov_type="HC3", leverage=h), B @ (S.T * w3 @ S) @ B)
    codes = np.array([0, 1, 0, 1])
    Sg = group_scores(S, codes)
    np.testing.assert_array_equal(Sg, [[0.0, 1.0], [0.0, -1.0]])
    c = 2 / 1 * 3 / 2  # G/(G-1) * (n-1)/(n-k)
    np.testing.assert_allclose(
        sandwich(B, S, cov_type="cluster", codes=codes), c * B @ Sg.T @ Sg @ B
    )
    with pytest.raises(OptionError, match="'HC3' needs leverages"):
        hc_weights("HC3", 4, 2, None)


def test_wald_table_by_hand():
    t = wald_table(
        pd.Series({"a": 1.959963984540054, "b": 0.0}), pd.Series({"a": 1.0, "b": 2.0}), 0.95
    )
    assert t.loc["a", "p"] == pytest.approx(0.05, rel=1e-12)
    assert t.loc["b", "p"] == 1.0 and t.loc["b", "z"] == 0.0
    assert t.loc["a", "ci_low"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc["b", "ci_high"] == pytest.approx(2 * 1.959963984540054, rel=1e-12)


def test_groups_keyword_and_deprecated_cluster_give_identical_fits(survey):
    f = "product_innovation ~ rd_inhouse + export_share"
    new = fit_model(f, survey, cov_type="cluster", groups="region")
    with pytest.warns(
        DeprecationWarning, match=r"fit_model\(cluster=\.\.\.\) is deprecated.*groups='region'"
    ):
        old = fit_model(f, survey, cov_type="cluster", cluster="region")
    pd.testing.assert_series_equal(old.params, new.params, check_exact=True)
    pd.testing.assert_frame_equal(old.cov, new.cov, check_exact=True)
    assert old.groups == new.groups == "region" and old.n_groups == new.n_groups
    assert new.n_groups == survey["region"].nunique()
    with pytest.warns(DeprecationWarning, match=r"ModelResult\.cluster is deprecated"):
        assert new.cluster == "region"
    with pytest.warns(DeprecationWarning, match=r"ModelResult\.n_clusters is deprecated"):
        assert new.n_clusters == new.n_groups
    with pytest.warns(DeprecationWarning):  # the same column twice is accepted
        same = fit_model(f, survey, cov_type="cluster", groups="region", cluster="region")
    pd.testing.assert_frame_equal(same.cov, new.cov, check_exact=True)
    with pytest.warns(DeprecationWarning), pytest.raises(OptionError, match="give only groups="):
        fit_model(f, survey, cov_type="cluster", groups="region", cluster="nace")


def test_the_deprecation_warning_points_at_the_caller(survey):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit_model("product_innovation ~ rd_inhouse", survey, cov_type="cluster", cluster="region")
    dep = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    # this file, not model.py (mutmut's trampoline adds a frame of its own)
    assert len(dep) == 1 and (dep[0].filename == __file__ or "mutmut" in dep[0].filename)


def test_bootstrap_groups_keyword_and_deprecated_cluster(survey):
    f = "product_innovation ~ rd_inhouse"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        new = bootstrap_ame(f, survey, n_boot=15, seed=5, groups="region")
        with pytest.warns(DeprecationWarning, match=r"bootstrap_ame\(cluster=\.\.\.\)"):
            old = bootstrap_ame(f, survey, n_boot=15, seed=5, cluster="region")
        firms = bootstrap_ame(f, survey, n_boot=15, seed=5)
    pd.testing.assert_frame_equal(old, new, check_exact=True)
    assert not new["boot_se"].equals(firms["boot_se"])  # whole regions were resampled


def _imports(path: Path) -> set[str]:
    """Modules of clusterlib imported by ``path``, at any depth, outside ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for b in node.body
        for n in ast.walk(b)
    }
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("clusterlib")
        ):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("clusterlib"))
    return out


def test_innovation_modules_import_each_other_without_cycles():
    folder = Path(__file__).parents[2] / "clusterlib" / "innovation"
    mods = {
        f"clusterlib.innovation.{p.stem}": p for p in folder.glob("*.py") if p.stem != "__init__"
    }
    graph = {m: {d for d in _imports(p) if d in mods and d != m} for m, p in mods.items()}
    assert "clusterlib.innovation.models" not in mods  # split into model, results, covariance...
    assert graph["clusterlib.innovation.margins"].isdisjoint(
        {"clusterlib.innovation.model", "clusterlib.innovation.results"}
    )
    state: dict[str, int] = {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(graph[m]):
            assert state.get(d) != 1, f"import cycle: {' -> '.join([*path, d])}"
            if d not in state:
                visit(d, [*path, d])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
