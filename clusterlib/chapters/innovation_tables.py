"""Chapter 2, notebook 02: what drives firms' innovation (tables, findings, metrics).

Descriptives, reliabilities, the regional model with its stated reason, the model table with
readers' labels, the comparison with the synthetic truth, the key findings and the typed metrics.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from clusterlib.chapters.effects import term_label
from clusterlib.chapters.metrics import RATES, Estimate, InnovationMetrics
from clusterlib.errors import SeparationError
from clusterlib.innovation.diagnostics import diagnostics
from clusterlib.innovation.model import fit_model
from clusterlib.innovation.proportions import wilson_interval
from clusterlib.innovation.results import ModelResult
from clusterlib.innovation.scales import cronbach_alpha, item_rest
from clusterlib.innovation.separation import events_per_variable
from clusterlib.io.survey import likert_scales, reverse_items


def describe(
    survey: pd.DataFrame, subset: pd.DataFrame, *, columns: list[str], region: str
) -> pd.DataFrame:
    """Means (shares for 0/1 variables) of ``columns`` in the region and in the whole survey."""
    return pd.DataFrame(
        {
            f"{region} (n={len(subset)})": subset[columns].mean(),
            f"all regions (n={len(survey)})": survey[columns].mean(),
        }
    )


def reliability_table(survey: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's alpha and the weakest item-rest correlation of every Likert scale."""
    rev = reverse_items()
    rows = {}
    for scale, items in likert_scales().items():
        ir = item_rest(survey, items, reverse=rev)
        rows[scale] = {
            "items": len(items),
            "alpha": cronbach_alpha(survey, items, reverse=rev),
            "min_item_rest": ir["item_rest"].min(),
            "weakest_item": ir["item_rest"].idxmin(),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def pooled_models(
    formula: str, survey: pd.DataFrame
) -> tuple[ModelResult | None, ModelResult, str]:
    """Fit the pooled models: with region effects and without, clustered by region when possible.

    A survey of one region (a real questionnaire) has no region effects and no regions to
    cluster by: the model without region effects is then fitted with HC1 standard errors.

    Returns
    -------
    (ModelResult or None, ModelResult, str)
        With region effects (None for one region), without, and the standard errors in words.
    """
    if survey["region"].nunique() > 1:
        kw = {"cov_type": "cluster", "cluster": "region"}
        with_fe = fit_model(f"{formula} + C(region)", survey, **kw)
        return with_fe, fit_model(formula, survey, **kw), "standard errors clustered by region"
    return (
        None,
        fit_model(formula, survey, cov_type="HC1"),
        "heteroskedasticity-robust (HC1) standard errors",
    )


def regional_model(
    formula: str,
    data: pd.DataFrame,
    *,
    min_epv: float = 10.0,
    weights: pd.Series | None = None,
) -> tuple[ModelResult | None, str]:
    """Fit a region's own logit if its events per variable allow, else Firth, else say why not.

    With survey ``weights`` the logit is the weighted (pseudo-likelihood) fit with HC1 standard
    errors; Firth's logit takes no weights, and the reason says so.

    Returns
    -------
    (ModelResult or None, str)
        The model and the reason for the choice, in words.
    """
    import patsy

    y, X = patsy.dmatrices(formula, data, return_type="dataframe")
    k = X.shape[1] - 1
    events = int(min(y.iloc[:, 0].sum(), len(y) - y.iloc[:, 0].sum()))
    epv = events_per_variable(y.iloc[:, 0], k)
    if events < 2 or len(y) <= X.shape[1] + 1:
        return None, (
            f"only {len(y)} firms and {events} events of the rarer outcome for "
            f"{k} regressors: too few for any model; see the pooled model."
        )
    if epv >= min_epv:
        try:
            if weights is not None:
                return fit_model(formula, data, family="logit", weights=weights, cov_type="HC1"), (
                    f"{epv:.1f} events per variable (>= {min_epv:g}): logit weighted to the "
                    "population margins, robust (HC1) standard errors."
                )
            return fit_model(formula, data, family="logit"), (
                f"{epv:.1f} events per variable (>= {min_epv:g}): ordinary logit."
            )
        except SeparationError as exc:
            note = f"separation ({exc}); "
    else:
        note = f"only {epv:.1f} events per variable (< {min_epv:g}); "
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit_model(formula, data, family="firth", cov_type="nonrobust")
    caveat = (
        (
            " With fewer than 2 events per variable even these estimates are very uncertain: "
            "read the pooled model first."
        )
        if epv < 2
        else ""
    )
    unweighted = (
        " (unweighted: Firth's penalty takes no survey weights)" if weights is not None else ""
    )
    return model, note + f"Firth's penalised logit instead{unweighted}." + caveat


def diagnostics_table(models: dict[str, ModelResult | None]) -> pd.DataFrame:
    """Diagnostics of several binary models side by side (None entries are skipped)."""
    return pd.DataFrame({name: diagnostics(m) for name, m in models.items() if m is not None})


def truth_comparison(
    model: ModelResult, truth: dict[str, float], *, level: float = 0.95
) -> pd.DataFrame:
    """Compare estimated coefficients with the known truth of the synthetic survey.

    Terms are matched by name, with ``log_size`` matching ``np.log(employees / 50)`` and ``age10``
    matching ``I((age - 20) / 10)``.
    """
    alias = {"log_size": "np.log(employees / 50)", "age10": "I((age - 20) / 10)"}
    sf = model.summary_frame()
    z = stats.norm.ppf(0.5 + level / 2)
    rows = {}
    for term, value in truth.items():
        name = alias.get(term, term)
        if name not in sf.index:
            continue
        est, se = sf.at[name, "estimate"], sf.at[name, "se"]
        rows[term] = {
            "true": value,
            "estimate": est,
            "ci_low": est - z * se,
            "ci_high": est + z * se,
            "covered": bool(est - z * se <= value <= est + z * se),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["error"] = out["estimate"] - out["true"]
    return out.astype({"covered": bool}).assign(error=lambda d: np.round(d["error"], 6))


REPORT = "02_innovation_drivers.html"


def share_estimate(x: pd.Series, *, source: str, anchor: str) -> Estimate:
    """Return the share of 1s in a 0/1 column with its Wilson 95% interval."""
    n = int(x.notna().sum())
    k = float(x.sum())
    low, high = wilson_interval(k, n)
    return Estimate(
        value=k / n if n else None, low=low, high=high, unit=f"share of {n} firms",
        source=source, report=f"{REPORT}#{anchor}",
    )  # fmt: skip


def ame_table(
    models: dict[str, ModelResult], *, outcome: str, regions: list[str] | None = None
) -> tuple[pd.DataFrame, str]:
    """Return the model table of average marginal effects with readers' labels, and its caption.

    Parameters
    ----------
    models : dict
        Column label to fitted model.
    outcome : str
        The outcome's name, for the caption.
    regions : list of str, optional
        The regions of the data; with region effects (``C(region)``) the caption names the
        reference region, patsy's first level in sorted order, which has no row.

    Returns
    -------
    (pandas.DataFrame, str)
        Rows labelled from the codebook (region effects read "region PL12 (vs the reference
        region)"); the caption says that cells are AMEs in probability units, what the stars mean
        and that N is the number of firms.
    """
    from clusterlib.innovation.tables import model_table

    table = model_table(models, stat="ame")
    has_fe = any(str(t).startswith("C(region)[T.") for t in table.index)
    table.index = [term_label(t, capital=True) if t else "" for t in table.index]
    ref = ""
    if has_fe and regions:
        ref = f" Region effects are differences from the reference region {sorted(regions)[0]}."
    caption = (
        f"Cells: average marginal effects on the probability of {outcome.replace('_', ' ')} "
        "(0.10 = 10 percentage points): for 0/1 factors and regions the change from 0 to 1 "
        "(discrete change), for the others the derivative, averaged over firms; "
        "standard errors in parentheses. Significance: *** p < 0.01, ** p < 0.05, * p < 0.1. "
        "N = firms in each model." + ref
    )
    return table, caption


def innovation_metrics(
    *,
    survey: pd.DataFrame,
    mine: pd.DataFrame,
    outcome: str,
    pooled: ModelResult,
    regional: ModelResult | None,
    reason: str,
    source: str,
    weights: pd.Series | None = None,
) -> InnovationMetrics:
    """Return the typed metrics of notebook 02 for ``metrics.json`` and the brief."""
    innovators = mine[mine[outcome] == 1]
    ame = pooled.ame
    drivers = [
        {
            "term": t, "label": term_label(t), "estimate": float(r["estimate"]),
            "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]), "p": float(r["p"]),
        }
        for t, r in ame.iterrows()
    ]  # fmt: skip
    return InnovationMetrics(
        synthetic=bool(survey.attrs.get("synthetic", False)),
        outcome=outcome,
        n_firms=len(mine),
        n_survey=len(survey),
        innovation_rate=share_estimate(
            mine[outcome], source=source, anchor="Descriptive-statistics"
        ),
        rates={
            c: share_estimate(mine[c], source=source, anchor="Descriptive-statistics")
            for c in RATES
            if c in mine.columns
        },
        innovators_with_universities=share_estimate(
            innovators["coop_universities"], source=source, anchor="Descriptive-statistics"
        ),
        drivers=drivers,
        regional_model=regional.family if regional is not None else "none",
        regional_reason=reason,
        weighted_innovation_rate=None
        if weights is None
        else _weighted_share(mine[outcome], weights, source),
        design_effect=None if weights is None else float(weights.attrs.get("deff", np.nan)),
    )


def _weighted_share(x: pd.Series, weights: pd.Series, source: str) -> Estimate:
    from clusterlib.innovation.proportions import weighted_table

    t = weighted_table(x.to_frame(), [x.name], weights=weights.reindex(x.index)).iloc[0]
    return Estimate(float(t["estimate"]), float(t["ci_low"]), float(t["ci_high"]), unit="share",
                    source=source + ", weighted", report="02_innovation_drivers.html#Weights")  # fmt: skip
