"""Tables for the innovation notebook: descriptives, reliabilities, the regional model, the truth."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from clusterlib.errors import SeparationError
from clusterlib.innovation.diagnostics import diagnostics
from clusterlib.innovation.models import ModelResult, fit_model
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


def regional_model(
    formula: str,
    data: pd.DataFrame,
    *,
    min_epv: float = 10.0,
) -> tuple[ModelResult | None, str]:
    """Fit a region's own logit if its events per variable allow, else Firth, else say why not.

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
    return model, note + "Firth's penalised logit instead." + caveat


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
