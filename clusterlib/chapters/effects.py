"""Plain-language summaries and labels of fitted models (never hand-written numbers).

The wording describes associations ("is associated with"), never causes: a cross-sectional
survey cannot show what would happen if a firm started to cooperate.
"""

from __future__ import annotations

import re

from clusterlib.innovation.families import family_of
from clusterlib.innovation.results import ModelResult
from clusterlib.io.survey import codebook
from clusterlib.notices import SYNTHETIC_SURVEY as SYNTHETIC_BANNER

#: Friendly names of the transformed regressors used in the notebooks' formulas.
TERM_LABELS = {
    "np.log(employees / 50)": "log employment (per unit of log, i.e. about 2.7 times the size)",
    "I((age - 20) / 10)": "firm age (per 10 years)",
    "log_size": "log employment",
    "age10": "firm age (per 10 years)",
}


def term_label(term: str, *, capital: bool = False) -> str:
    """Return a reader's label of a model term: codebook labels, named region effects.

    ``C(region)[T.PL12]`` becomes ``region PL12 (vs the reference region)``; transformed terms
    get the wording of :data:`TERM_LABELS`; codebook variables their codebook label.
    """
    m = re.fullmatch(r"C\((\w+)\)\[T\.(.+)\]", term)
    if m:
        text = f"{m.group(1)} {m.group(2)} (vs the reference {m.group(1)})"
    elif term in TERM_LABELS:
        text = TERM_LABELS[term]
    else:
        cb = codebook()
        text = str(cb.at[term, "label"]) if term in cb.index else term.replace("_", " ")
        text = text[0].lower() + text[1:]
    return text[0].upper() + text[1:] if capital else text


_label = term_label


def summarise_effects(
    model: ModelResult,
    *,
    alpha: float = 0.05,
    synthetic: bool | None = None,
    outcome: str | None = None,
) -> str:
    """Describe which drivers matter, in which direction and how much, from the model's AMEs.

    Drivers whose AME is significant at ``alpha`` are listed from the largest effect down, each
    with its effect in percentage points and its confidence interval; the others are named as not
    distinguishable from zero. For a model of a probability (logit, probit, Firth, fractional
    logit) effects are in percentage points; for counts, in expected counts.

    Returns
    -------
    str
        A short paragraph; it starts with :data:`SYNTHETIC_BANNER` when ``synthetic`` is True
        (default: when the model was fitted on the synthetic survey).
    """
    if synthetic is None:
        synthetic = model.synthetic
    ame, sig, unit, k = _significant(model, alpha)
    if family_of(model.family).is_ordered:
        outcome = outcome or f"{model.endog.name} = {model.ame.index.get_level_values(1).max():g}"
    outcome = outcome or str(model.endog.name).replace("_", " ")
    parts = []
    for term, r in sig.iterrows():
        direction = "higher" if r["estimate"] > 0 else "lower"
        parts.append(
            f"{_label(term)} goes with a {abs(r['estimate']) * k:.1f} {unit} {direction} "
            f"value ({100 * model.level:.0f}% CI {r['ci_low'] * k:.1f} to {r['ci_high'] * k:.1f})"
        )
    text = (
        f"Across {model.nobs:,} firms, the factors most strongly associated with {outcome} are: "
        + "; ".join(parts)
        + "."
        if parts
        else f"No factor is significantly associated with {outcome} at {alpha:g}."
    )
    rest = [_label(t) for t in ame.index if t not in sig.index]
    if rest:
        text += f" Not distinguishable from zero at the {alpha:g} level: {', '.join(rest)}."
    return (SYNTHETIC_BANNER + " " + text) if synthetic else text


def _significant(model: ModelResult, alpha: float):
    """Return the AMEs, the significant ones (largest first), their unit and scale factor."""
    ame, fam = model.ame, family_of(model.family)
    if fam.is_ordered:  # the effects on the top category
        ame = ame.xs(ame.index.get_level_values(1).max(), level=1)
    pct = fam.is_probability
    unit, k = ("percentage points", 100.0) if pct else ("expected counts", 1.0)
    sig = ame[ame["p"] < alpha].reindex(ame["estimate"].abs().sort_values(ascending=False).index)
    return ame, sig.dropna(subset=["p"]), unit, k


def top_effect(model: ModelResult, *, alpha: float = 0.05) -> float | None:
    """Return the largest significant AME in the unit :func:`summarise_effects` states, or None.

    The number the summary's first driver rests on: signed, in percentage points for a model of
    a probability, in expected counts for a count model; None when no driver is significant.
    """
    _, sig, _, k = _significant(model, alpha)
    return float(sig["estimate"].iloc[0] * k) if len(sig) else None
