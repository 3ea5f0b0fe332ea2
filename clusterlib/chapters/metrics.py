"""The metrics contract: what each notebook writes to ``metrics.json``, typed and checked.

Each chapter fills one dataclass; the batch index, the strategy brief and the CLI read them back
through :func:`read_metrics`, so a key renamed on one side fails loudly on the other instead of
showing an empty cell. This module imports nothing but the standard library, so the batch can use
it without loading the analysis packages.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from clusterlib.errors import DataFormatError
from clusterlib.io.files import write_atomic

#: Shares of the region's firms reported in the brief (key factors of a cluster strategy): the
#: named shares of ``innovation.rates`` that the innovation notebook writes, which a rule of the
#: brief may read as ``innovation.rates.<name>``.
RATES = (
    "rd_inhouse", "coop_suppliers", "coop_customers", "coop_universities", "coop_bsi",
    "cluster_member", "public_support", "exporter", "foreign_owned",
)  # fmt: skip

METRICS_FILE = "metrics.json"
#: The reserved key of a section holding the chapter's findings.
FINDINGS = "findings"


@dataclass(frozen=True)
class Estimate:
    """A number with its interval, unit, source and where in the reports it is shown."""

    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    source: str = ""
    year: int | None = None
    report: str = ""  # e.g. "01_specialisation.html#Star-rating"


@dataclass(frozen=True)
class Finding:
    """One generated sentence of a chapter's key findings, with the number it rests on.

    Attributes
    ----------
    key : str
        A stable name (``"lq"``, ``"innovation_rate"``), for the brief and tests.
    text : str
        The sentence in Markdown, every number taken from the chapter.
    value : float or None
        The number the sentence rests on (None for a sentence without one, e.g. a caveat).
    msgid : str
        The English template of ``text`` (a gettext message id), ``""`` for a sentence that
        exists in English only.
    args : dict
        The values of the template's fields: numbers, text and the nested phrases, names and
        listings of :mod:`clusterlib.i18n.phrases`. ``say(phrase(msgid, **args))`` is ``text``;
        in another language, the same sentence from the catalogue (:meth:`in_language`).
    """

    key: str
    text: str
    value: float | None = None
    msgid: str = ""
    args: dict = field(default_factory=dict)

    @classmethod
    def said(cls, key: str, msgid: str, value: float | None = None, /, **args) -> Finding:
        """Return the finding whose text is the template ``msgid`` filled with ``args`` (English).

        Examples
        --------
        >>> f = Finding.said("eu_lq", "Against all EU regions in the data the cluster's LQ is "
        ...                  "{lq:.2f}.", 1.4, lq=1.4012)
        >>> f.text
        "Against all EU regions in the data the cluster's LQ is 1.40."
        >>> f.in_language("pl")
        'Na tle wszystkich regionów UE w danych iloraz lokalizacji klastra wynosi 1,40.'
        """
        from clusterlib.i18n.phrases import phrase, say

        message = phrase(msgid, **args)
        return cls(key, say(message), value, msgid, message["args"])

    def in_language(self, lang: str) -> str:
        """Return the text in ``lang`` from the catalogue; a finding without ``msgid`` is English."""
        if lang == "en" or not self.msgid:
            return self.text
        from clusterlib.i18n.phrases import phrase, say

        return say(phrase(self.msgid, **self.args), lang=lang)


@dataclass(frozen=True)
class EuropeMetrics:
    """Headline results of notebook 01's Europe-wide benchmarking (merged into SpecialisationMetrics).

    The comparison set is the Observatory's: all European NUTS2 regions.
    """

    eu_stars: int | None = None  # None: not rated
    eu_performance_stars: int | None = None
    eu_star_detail: dict[str, bool] = field(default_factory=dict)  # dimension -> star
    eu_thresholds: dict[str, float] = field(default_factory=dict)  # dimension -> cut
    growth_region: Estimate | None = None  # compound annual growth of cluster employment
    growth_country: Estimate | None = None
    growth_eu: Estimate | None = None
    wages_per_person: Estimate | None = None
    peers: list[str] = field(default_factory=list)  # most similar regions, nearest first


@dataclass(frozen=True)
class SpecialisationMetrics:
    """Headline results of notebook 01 (the current state of the industry)."""

    SECTION = "specialisation"
    region_name: str
    cluster: str
    codes: list[str]
    year: int
    start_year: int
    reference: str
    policy: str
    employment: Estimate
    share: Estimate
    lq: Estimate
    lq_significant: bool
    rank: int
    n_regions: int
    eu_lq: Estimate
    stars: int | None  # None: not rated (the cluster's employment or the total is unknown)
    size_star: bool
    specialisation_star: bool
    focus_star: bool
    change: Estimate
    national_share: Estimate
    industry_mix: Estimate
    regional_shift: Estimate
    top_divisions: list[dict] = field(default_factory=list)
    n_imputed: int = 0
    nuts_note: str = ""  # "PL84 (NUTS 2021) is PL34 in the NUTS 2013 data used here." ("" if none)
    # Europe-wide benchmarking: the fields of EuropeMetrics, typed alike (tests check they match)
    eu_stars: int | None = None
    eu_performance_stars: int | None = None
    eu_star_detail: dict[str, bool] = field(default_factory=dict)
    eu_thresholds: dict[str, float] = field(default_factory=dict)
    growth_region: Estimate | None = None
    growth_country: Estimate | None = None
    growth_eu: Estimate | None = None
    wages_per_person: Estimate | None = None
    peers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InnovationMetrics:
    """Headline results of notebook 02 (what drives firms' innovation)."""

    SECTION = "innovation"
    synthetic: bool
    outcome: str
    n_firms: int
    n_survey: int
    innovation_rate: Estimate
    rates: dict[str, Estimate]  # cooperation, R&D, export shares of the region's firms
    innovators_with_universities: Estimate
    drivers: list[dict]  # pooled AMEs: term, label, estimate, ci_low, ci_high, p
    regional_model: str
    regional_reason: str
    weighted_innovation_rate: Estimate | None = None  # with survey weights only
    design_effect: float | None = None


@dataclass(frozen=True)
class SegmentsMetrics:
    """Headline results of notebook 03 (what kinds of firms there are)."""

    SECTION = "segments"
    synthetic: bool
    n_firms: int
    n_segments: int
    ari_mean: float
    segments: list[dict]  # segment, label, size, share, innovation_rate, stability, verdict


@dataclass(frozen=True)
class RelatednessMetrics:
    """Headline results of notebook 04 (related industries and diversification paths)."""

    SECTION = "relatedness"

    year: int
    codes: list[str]
    eci: Estimate
    eci_rank_eu: int | None
    n_eu: int
    eci_rank_country: int | None
    n_country: int
    related: list[dict]  # code, label, colocation, proximity
    opportunities: list[dict]  # code, label, density_pct, pci
    attached: list[dict]  # code, share of resamples with the cluster
    entry_ame: Estimate  # per 10 points of relatedness density, probability
    entry_years: list[int]
    entry_regions: int
    nuts_note: str = ""  # how the region's code maps to the data's NUTS version ("" if none)


@dataclass(frozen=True)
class ContextMetrics:
    """Headline results of notebook 06 (the region's official innovation and economic context)."""

    SECTION = "context"

    unit: str  # the region or cluster area
    members: list[str]  # its regions in the NUTS version of the indicators
    nuts_version: str
    country: str
    indicators: list[dict]  # indicator, label, year, value, country, index, percentile, peers...
    gdp_growth: Estimate
    gdp_growth_country: Estimate


@dataclass(frozen=True)
class ValueChainMetrics:
    """Headline results of notebook 05 (supplier and customer links: the cluster's value chain)."""

    SECTION = "value_chains"

    region: str  # the region or cluster area
    cluster: str
    codes: list[str]
    year: int  # of the employment data; the input-output table is 2011
    delta: float  # the FLQ delta of the regional point values
    deltas: list[float]  # the range of the regional estimates (low-high)
    io_industries: list[str]  # WIOD industries holding the cluster
    coverage: dict[str, float]  # the cluster's share of each industry's national employment
    local_input_share: Estimate  # share of inputs bought in the region, low-high over deltas
    output_multiplier: Estimate  # national
    output_multiplier_regional: Estimate  # at delta, low-high over deltas
    jobs_multiplier: Estimate  # type I, national
    jobs_multiplier_regional: Estimate
    gva_multiplier: Estimate  # type I, national (value added incl. taxes less subsidies)
    gva_multiplier_regional: Estimate
    jobs_per_100_national: Estimate  # jobs elsewhere per 100 cluster jobs
    jobs_per_100: Estimate  # in the region, at delta, low-high over deltas
    suppliers: list[dict]  # industry, label, share, regional_share, local
    customers: list[dict]  # name, label, kind, share
    key_sectors: dict[str, bool]  # cluster industry -> key sector nationally
    key_sectors_regional: dict[str, bool]
    filled_industries: list[str] = field(default_factory=list)  # no jobs data: SLQ = 1
    sales_in_region: Estimate | None = None  # sales bought by industries in the region, by delta
    nuts_note: str = ""  # how the region's code maps to the data's NUTS version ("" if none)


CONTRACT = {
    cls.SECTION: cls
    for cls in (
        SpecialisationMetrics, InnovationMetrics, SegmentsMetrics, RelatednessMetrics,
        ValueChainMetrics, ContextMetrics,
    )
}  # fmt: skip


def _clean(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def to_dict(metrics) -> dict:
    """Return a metrics dataclass as JSON-ready data (NaN and infinities become null)."""
    return _clean(dataclasses.asdict(metrics))


def write_metrics(
    metrics, output_dir: str | Path | None, *, findings: list[Finding] | None = None
) -> None:
    """Merge a notebook's metrics into ``<output_dir>/metrics.json`` (atomically).

    With ``findings`` (the chapter's :class:`Finding` list), they are stored in the section under
    the reserved key ``findings``, for the brief (:func:`read_findings`). Does nothing when
    ``output_dir`` is empty (interactive use). Returns None, so that a notebook's last line shows
    nothing.
    """
    if not output_dir:
        return
    path = Path(output_dir) / METRICS_FILE
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current[metrics.SECTION] = to_dict(metrics)
    if findings is not None:
        current[metrics.SECTION][FINDINGS] = [to_dict(f) for f in findings]
    write_atomic(path, json.dumps(current, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def _build(cls, data: dict, source: str):
    data = {k: v for k, v in data.items() if k != FINDINGS}
    names = {f.name for f in dataclasses.fields(cls)}
    missing = sorted(n for n in names - set(data) if _required(cls, n))
    unknown = sorted(set(data) - names)
    if missing or unknown:
        raise DataFormatError(
            f"{source}, section {cls.SECTION!r}: missing key(s) {missing}, unknown key(s) "
            f"{unknown}. The notebook and clusterlib's metrics contract disagree; rerun the batch."
        )
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        if str(f.type).startswith("Estimate") and isinstance(v, dict):
            v = Estimate(**v)
        elif f.type == "dict[str, Estimate]" and isinstance(v, dict):
            v = {k: Estimate(**e) for k, e in v.items()}
        kwargs[f.name] = v
    return cls(**kwargs)


def _required(cls, name: str) -> bool:
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def read_metrics(path: str | Path) -> dict:
    """Read ``metrics.json`` (or a merged dict) into the typed sections it holds.

    Returns
    -------
    dict
        Section name (``specialisation``, ``innovation``, ``segments``, ``relatedness``) to its dataclass.

    Raises
    ------
    DataFormatError
        A section whose keys do not match the contract, naming the file and the keys.
    """
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: _build(CONTRACT[name], body, str(path))
        for name, body in data.items()
        if name in CONTRACT
    }


def read_findings(path: str | Path) -> dict[str, list[Finding]]:
    """Read the findings each chapter stored in ``metrics.json``, by section.

    A section written without findings is left out.

    Raises
    ------
    DataFormatError
        A finding without ``key`` and ``text``, naming the file and the section.
    """
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[Finding]] = {}
    for name, body in data.items():
        if name not in CONTRACT or not isinstance(body, dict) or FINDINGS not in body:
            continue
        try:
            out[name] = [Finding(**f) for f in body[FINDINGS]]
        except TypeError as exc:
            raise DataFormatError(
                f"{path}, section {name!r}, key {FINDINGS!r}: expected a list of findings with "
                f"'key', 'text' and 'value' (and optionally 'msgid' and 'args') ({exc}); rerun "
                "the batch."
            ) from None
    return out
