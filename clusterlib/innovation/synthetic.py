"""A calibrated synthetic firm survey with known truth (real survey microdata are not public)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit

from clusterlib.errors import OptionError
from clusterlib.io.codebook import codebook, likert_scales

SEGMENTS = (
    "local subcontractors",
    "export-oriented supply-chain firms",
    "R&D-linked innovators",
    "small domestic niche producers",
)
SEGMENT_SHARES = (0.35, 0.30, 0.20, 0.15)
FACTORS = (
    "supply_chain",
    "science_links",
    "internationalisation",
    "innovation_culture",
    "business_support",
)

#: Segment means of the five latent factors (rows: SEGMENTS), before scaling by ``separation``.
#: The profiles differ in shape, not only in level: subcontractors are high on supply-chain ties
#: and support use but low on science; exporters high on internationalisation; innovators high on
#: science and culture; niche producers low on everything but culture.
SEGMENT_MEANS = np.array(
    [
        [0.9, -0.6, -0.6, -0.4, 0.5],
        [0.5, -0.2, 1.1, 0.1, -0.5],
        [-0.3, 1.2, 0.4, 0.9, 0.5],
        [-0.9, -0.5, -0.9, 0.4, -0.8],
    ]
)

#: True coefficients of the product-innovation logit (the foundation of the recovery test).
PRODUCT_LOGIT = {
    "Intercept": -1.2,
    "rd_inhouse": 1.2,
    "coop_suppliers": 0.5,
    "coop_customers": 0.6,
    "coop_universities": 0.7,
    "coop_bsi": 0.3,
    "cluster_member": 0.35,
    "public_support": 0.6,
    "export_share": 0.8,
    "log_size": 0.35,
    "age10": -0.10,
}
PROCESS_LOGIT = {
    "Intercept": -1.0,
    "rd_inhouse": 0.7,
    "coop_suppliers": 0.8,
    "coop_customers": 0.3,
    "coop_universities": 0.4,
    "coop_bsi": 0.2,
    "cluster_member": 0.3,
    "public_support": 0.5,
    "export_share": 0.3,
    "log_size": 0.30,
    "age10": -0.05,
}
#: Fractional logit of the new-product sales share, among product innovators.
SHARE_LOGIT = {
    "Intercept": -1.6,
    "rd_inhouse": 0.5,
    "coop_customers": 0.4,
    "coop_universities": 0.3,
    "export_share": 0.5,
    "log_size": -0.10,
}
SHARE_PRECISION = 8.0
#: Negative binomial (NB2) of patent applications: log mean and dispersion alpha.
PATENT_NB = {"Intercept": -2.5, "rd_inhouse": 1.5, "coop_universities": 0.9, "log_size": 0.5}
PATENT_ALPHA = 1.0
#: Ordered logit of self-rated innovativeness (1-5): slopes and cutpoints.
ORDINAL_LOGIT = {
    "rd_inhouse": 1.0,
    "coop_customers": 0.4,
    "coop_universities": 0.5,
    "public_support": 0.3,
    "log_size": 0.2,
}
ORDINAL_CUTS = (-1.5, 0.0, 1.5, 3.0)

# Driver intercepts calibrated (seed 0, N = 200,000) to Polish levels: about 5.5% cooperate with
# universities (GUS, "Działalność innowacyjna przedsiębiorstw w latach 2018-2020") and about 37%
# of firms have a product innovation.
_DRIVER_MODEL = {
    #                 intercept, loadings on the five factors
    "rd_inhouse": (-2.3, [0.0, 0.9, 0.2, 0.6, 0.0]),
    "coop_suppliers": (-2.0, [1.0, 0.0, 0.0, 0.2, 0.0]),
    "coop_customers": (-2.0, [0.7, 0.0, 0.4, 0.2, 0.0]),
    "coop_universities": (-3.95, [0.0, 1.3, 0.0, 0.2, 0.2]),
    "coop_bsi": (-2.5, [0.0, 0.0, 0.0, 0.0, 1.1]),
    "coop_competitors": (-2.7, [0.3, 0.0, 0.0, 0.0, 0.4]),
    "cluster_member": (-2.3, [0.2, 0.0, 0.0, 0.0, 0.9]),
    "public_support": (-2.5, [0.0, 0.4, 0.0, 0.0, 0.7]),
}
_ITEM_NOISE = 0.75  # item noise s.d. relative to a unit-variance factor: alpha about 0.8
_LIKERT_CUTS = np.array([-1.5, -0.5, 0.5, 1.5])


def synthetic_survey(
    n: int = 3000,
    *,
    seed: int = 0,
    separation: float = 1.0,
    region_weights: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Generate a firm survey with a documented data-generating process and known truth.

    Data-generating process
    -----------------------
    1. **Segment** :math:`g \in` :data:`SEGMENTS` with shares 35/30/20/15%.
    2. **Factors** :math:`F_{k} = \text{separation} \cdot \mu_{gk} + \varepsilon_k`,
       :math:`\varepsilon_k \sim N(0, 1)`, for the five factors of :data:`FACTORS`, with segment
       means :data:`SEGMENT_MEANS` that differ in shape across segments.
    3. **Firm**: employees log-normal with a segment-specific median (subcontractors 30,
       exporters 80, innovators 50, niche 10); age :math:`1 + \text{Gamma}(2.5, 8)` years; exporter
       :math:`\sim \text{Bernoulli}(\Lambda(-0.6 + 1.4 F_{intl}))`, export share
       :math:`\sim \text{Beta}` with mean :math:`\Lambda(-0.6 + 0.6 F_{intl})` for exporters, else 0;
       foreign ownership :math:`\sim \text{Bernoulli}(\Lambda(-2 + 0.8 F_{intl}))`.
    4. **Drivers** (0/1) :math:`\sim \text{Bernoulli}(\Lambda(a_d + \lambda_d' F))` with the
       calibrated intercepts and loadings of ``_DRIVER_MODEL``; R&D intensity
       :math:`\sim \text{Beta}(1.5, 40)` for R&D performers, else 0.
    5. **Likert items**, three per scale: :math:`\text{cut}(F_k / s_k + 0.75 \nu)`,
       :math:`\nu \sim N(0,1)`, cut at -1.5, -0.5, 0.5, 1.5 into 1-5 (:math:`s_k` the factor's s.d.);
       the barriers scale loads on :math:`-F_{culture}` and its third item is reverse-coded.
    6. **Outcomes**, from observed drivers only (so recovery can be checked), with
       ``log_size`` :math:`= \ln(\text{employees}/50)` and ``age10`` :math:`= (\text{age}-20)/10`:
       product and process innovation are logits with :data:`PRODUCT_LOGIT` and
       :data:`PROCESS_LOGIT`; the new-product sales share of product innovators is
       :math:`\text{Beta}(\mu\phi, (1-\mu)\phi)` with :math:`\mu = \Lambda(x'\beta)`,
       :data:`SHARE_LOGIT`, :math:`\phi = 8` (0 for non-innovators); patents are NB2 with
       :data:`PATENT_NB` and :math:`\alpha = 1`; innovativeness is an ordered logit with
       :data:`ORDINAL_LOGIT` and cutpoints :data:`ORDINAL_CUTS`.
    7. **Regions**: firms are spread over the regions (and NACE divisions) in proportion to
       ``region_weights``; by default the number of local units in C24 and C25 of the 16 Polish
       voivodeships in 2014 (Eurostat V11210).

    Parameters
    ----------
    n : int, default 3000
        Number of firms.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`. The same seed gives the same data, byte for byte.
    separation : float, default 1.0
        Multiplies the segment means: 0 gives no segments, larger values better separated ones.
    region_weights : pandas.Series, optional
        Weights indexed by (region, nace); default :func:`default_region_weights`.

    Returns
    -------
    pandas.DataFrame
        One row per firm with every codebook variable plus ``segment`` (the true segment),
        the true factor scores ``F_<factor>`` and ``synthetic = 1``. ``attrs["synthetic"]`` is True.

    References
    ----------
    GUS (2021). *Działalność innowacyjna przedsiębiorstw w latach 2018-2020* (innovation activity
    of enterprises), Statistics Poland.
    Papke, L. E. & Wooldridge, J. M. (1996). Econometric methods for fractional response variables.
    *Journal of Applied Econometrics* 11(6), 619-632.
    """
    if n < 1:
        raise OptionError(f"n: expected a positive number of firms, got {n}.")
    rng = np.random.default_rng(seed)
    weights = default_region_weights() if region_weights is None else region_weights
    weights = weights[weights > 0]
    cells = rng.choice(len(weights), size=n, p=(weights / weights.sum()).to_numpy())
    region = weights.index.get_level_values(0).to_numpy()[cells]
    nace = weights.index.get_level_values(1).to_numpy()[cells]

    seg = rng.choice(len(SEGMENTS), size=n, p=SEGMENT_SHARES)
    F = separation * SEGMENT_MEANS[seg] + rng.standard_normal((n, len(FACTORS)))
    f = dict(zip(FACTORS, F.T, strict=True))

    median_size = np.array([30.0, 80.0, 50.0, 10.0])[seg]
    employees = np.clip(np.round(median_size * np.exp(0.9 * rng.standard_normal(n))), 1, 20000)
    age = np.round(1 + rng.gamma(2.5, 8.0, n))
    exporter = rng.random(n) < expit(-0.6 + 1.4 * f["internationalisation"])
    mu_exp = expit(-0.6 + 0.6 * f["internationalisation"])
    export_share = np.where(exporter, rng.beta(mu_exp * 6, (1 - mu_exp) * 6), 0.0)
    foreign = rng.random(n) < expit(-2.0 + 0.8 * f["internationalisation"])

    out = {
        "firm_id": [f"F{i:06d}" for i in range(1, n + 1)],
        "region": region,
        "nace": nace,
        "employees": employees,
        "age": age,
        "foreign_owned": foreign.astype(float),
        "exporter": exporter.astype(float),
        "export_share": np.round(export_share, 4),
    }
    for name, (a, load) in _DRIVER_MODEL.items():
        out[name] = (rng.random(n) < expit(a + F @ np.asarray(load))).astype(float)
    out["rd_intensity"] = np.round(np.where(out["rd_inhouse"] == 1, rng.beta(1.5, 40, n), 0.0), 4)

    sd = F.std(axis=0)
    scales = likert_scales()
    latent = dict(zip(FACTORS, (F / sd).T, strict=True))
    latent["barriers"] = -latent["innovation_culture"]
    rev = set(codebook().index[codebook()["reverse"].astype(bool)])
    for scale, items in scales.items():
        for item in items:
            z = latent[scale] + _ITEM_NOISE * rng.standard_normal(n)
            score = 1.0 + np.searchsorted(_LIKERT_CUTS, z)
            out[item] = 6.0 - score if item in rev else score

    df = pd.DataFrame(out)
    X = design(df)
    df["product_innovation"] = (rng.random(n) < expit(_lin(X, PRODUCT_LOGIT))).astype(float)
    df["process_innovation"] = (rng.random(n) < expit(_lin(X, PROCESS_LOGIT))).astype(float)
    mu = expit(_lin(X, SHARE_LOGIT))
    share = rng.beta(mu * SHARE_PRECISION, (1 - mu) * SHARE_PRECISION)
    df["new_sales_share"] = np.round(np.where(df["product_innovation"] == 1, share, 0.0), 4)
    lam = np.exp(_lin(X, PATENT_NB))
    df["patents"] = rng.poisson(lam * rng.gamma(1 / PATENT_ALPHA, PATENT_ALPHA, n)).astype(float)
    ystar = _lin(X, ORDINAL_LOGIT) + rng.logistic(size=n)
    df["innovativeness"] = 1.0 + np.searchsorted(np.asarray(ORDINAL_CUTS), ystar)
    df["segment"] = np.asarray(SEGMENTS, dtype=object)[seg]
    for k, name in enumerate(FACTORS):
        df[f"F_{name}"] = np.round(F[:, k], 6)
    df["synthetic"] = 1
    df.attrs["synthetic"] = True
    return df


def design(df: pd.DataFrame) -> pd.DataFrame:
    """Return the regressors of the known-truth models: drivers, ``log_size`` and ``age10``."""
    X = df.copy()
    X["Intercept"] = 1.0
    X["log_size"] = np.log(df["employees"] / 50.0)
    X["age10"] = (df["age"] - 20.0) / 10.0
    return X


def _lin(X: pd.DataFrame, coefs: dict[str, float]) -> np.ndarray:
    return sum(X[k].to_numpy(float) * v for k, v in coefs.items())


def truth() -> dict:
    """Return every known parameter of the data-generating process (the ``truth.json`` content)."""
    return {
        "synthetic": True,
        "segments": dict(zip(SEGMENTS, SEGMENT_SHARES, strict=True)),
        "segment_means": {
            s: dict(zip(FACTORS, m.tolist(), strict=True))
            for s, m in zip(SEGMENTS, SEGMENT_MEANS, strict=True)
        },
        "product_innovation_logit": PRODUCT_LOGIT,
        "process_innovation_logit": PROCESS_LOGIT,
        "new_sales_share_fractional_logit": {
            "coefficients": SHARE_LOGIT,
            "beta_precision": SHARE_PRECISION,
            "sample": "product innovators",
        },
        "patents_negative_binomial": {"coefficients": PATENT_NB, "alpha": PATENT_ALPHA},
        "innovativeness_ordered_logit": {
            "coefficients": ORDINAL_LOGIT,
            "cutpoints": list(ORDINAL_CUTS),
        },
        "regressors": {"log_size": "log(employees / 50)", "age10": "(age - 20) / 10"},
    }


def default_region_weights(year: int = 2014) -> pd.Series:
    """Local units (V11210) in C24 and C25 of the 16 Polish voivodeships, from the bundled data."""
    from clusterlib import config
    from clusterlib.io.eurostat import read_eurostat_tsv
    from clusterlib.io.select import select
    from clusterlib.reference.nuts import pl_voivodeships

    data = read_eurostat_tsv(config.eurostat_path())
    units = select(
        data,
        indicator="V11210",
        years=year,
        industries=["C24", "C25"],
        regions=list(pl_voivodeships().index),
    )
    if units["value"].isna().any():
        raise OptionError(f"local units of C24/C25 in {year} are incomplete; choose another year.")
    return units.set_index(["region", "industry"])["value"].sort_index()


def write_survey(
    folder: str | Path, *, n: int = 3000, seed: int = 0, separation: float = 1.0
) -> tuple[Path, Path]:
    """Write ``synthetic_survey.csv`` and ``truth.json`` to ``folder`` (atomically)."""
    from clusterlib.io.files import write_atomic

    folder = Path(folder)
    df = synthetic_survey(n, seed=seed, separation=separation)
    csv = write_atomic(
        folder / "synthetic_survey.csv",
        df.to_csv(index=False, float_format="%.6g", lineterminator="\n"),
    )
    meta = {**truth(), "n": n, "seed": seed, "separation": separation}
    js = write_atomic(folder / "truth.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return csv, js
