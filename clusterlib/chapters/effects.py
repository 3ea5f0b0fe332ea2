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
    from clusterlib.i18n.phrases import say

    text = say(term_phrase(term))
    return text[0].upper() + text[1:] if capital else text


def term_phrase(term: str) -> dict:
    """Return the label of a model term as a phrase of the message catalogue (lower case).

    >>> term_phrase("C(region)[T.PL12]")["args"]
    {'var': {'msgid': 'region', 'args': {}}, 'level': 'PL12'}
    """
    from clusterlib.i18n.phrases import phrase

    m = re.fullmatch(r"C\((\w+)\)\[T\.(.+)\]", term)
    if m:
        return phrase("{var} {level} (vs the reference {var})", var=phrase(m.group(1)),
                      level=m.group(2))  # fmt: skip
    if term in TERM_LABELS:
        return phrase(TERM_LABELS[term])
    cb = codebook()
    text = str(cb.at[term, "label"]) if term in cb.index else term.replace("_", " ")
    return phrase(text[0].lower() + text[1:])


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
    logit) effects are in percentage points; for counts, in expected counts. The words are those
    of :func:`effects_phrase`.

    Returns
    -------
    str
        A short paragraph; it starts with :data:`SYNTHETIC_BANNER` when ``synthetic`` is True
        (default: when the model was fitted on the synthetic survey).
    """
    from clusterlib.i18n.phrases import say

    if synthetic is None:
        synthetic = model.synthetic
    text = say(effects_phrase(model, alpha=alpha, outcome=outcome))
    return (SYNTHETIC_BANNER + " " + text) if synthetic else text


def effects_phrase(model: ModelResult, *, alpha: float = 0.05, outcome: str | None = None) -> dict:
    """Return the summary of :func:`summarise_effects` as a phrase (message id and values).

    Each significant driver is one phrase, ``"{term} goes with a {size:.1f} percentage points
    higher value ({level:.0f}% CI {low:.1f} to {high:.1f})"`` (lower, expected counts), so that
    another language words the whole clause.
    """
    from clusterlib.i18n.phrases import listing, phrase

    ame, sig, unit, k = _significant(model, alpha)
    if family_of(model.family).is_ordered:
        top = model.ame.index.get_level_values(1).max()
        what = phrase("{name} = {level}", name=phrase(str(model.endog.name)), level=f"{top:g}")
    else:
        what = phrase(str(model.endog.name).replace("_", " "))
    what = phrase(outcome) if outcome else what
    parts = [
        phrase(f"{{term}} goes with a {{size:.1f}} {unit} "
               f"{'higher' if r['estimate'] > 0 else 'lower'} value ({{level:.0f}}% CI "
               "{low:.1f} to {high:.1f})", term=term_phrase(term),
               size=abs(r["estimate"]) * k, level=100 * model.level, low=r["ci_low"] * k,
               high=r["ci_high"] * k)
        for term, r in sig.iterrows()
    ]  # fmt: skip
    rest = [term_phrase(t) for t in ame.index if t not in sig.index]
    if parts:
        text = phrase("Across {n:,} firms, the factors most strongly associated with {outcome} "
                      "are: {parts}.", n=model.nobs, outcome=what, parts=listing(parts, sep="; "))  # fmt: skip
    else:
        text = phrase("No factor is significantly associated with {outcome} at {alpha}.",
                      outcome=what, alpha=float(alpha))  # fmt: skip
    if not rest:
        return text
    return phrase("{text} Not distinguishable from zero at the {alpha} level: {rest}.",
                  text=text, alpha=float(alpha), rest=listing(rest))  # fmt: skip


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
