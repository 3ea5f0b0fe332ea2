"""Cluster star rating after the European Cluster Observatory, and the portfolio chart data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError, OptionError
from clusterlib.specialisation._wide import check_counts


def cluster_stars(
    cluster_employment: pd.Series,
    region_total: pd.Series,
    *,
    size_quantile: float = 0.9,
    lq_threshold: float = 2.0,
    focus_quantile: float = 0.9,
) -> pd.DataFrame:
    r"""Star rating (0-3) of one cluster in every region of a reference area.

    * **Size**: the region's cluster employment is in the top ``1 - size_quantile`` (10%) of all
      regions given.
    * **Specialisation**: :math:`LQ = (e_{rc}/e_{r.}) / (e_{.c}/e_{..}) \ge` ``lq_threshold`` (2).
    * **Focus**: the cluster's share of the region's employment :math:`e_{rc}/e_{r.}` is in the top
      ``1 - focus_quantile`` (10%) of the regions.

    Parameters
    ----------
    cluster_employment : pandas.Series
        Cluster employment by region (all regions of the reference area).
    region_total : pandas.Series
        Reference total of each region (same index).
    size_quantile, lq_threshold, focus_quantile : float
        Thresholds; a region at or above the quantile gets the star.

    Returns
    -------
    pandas.DataFrame
        Per region: ``employment``, ``size_star``, ``lq``, ``specialisation_star``, ``focus``,
        ``focus_star``, ``stars`` (0-3) and ``rated``. A region with a missing input (unknown,
        e.g. confidential, cluster employment or total) is **not rated**: NaN measures, no star
        and ``stars`` NaN (never 0 stars), ``rated`` False.

    References
    ----------
    Ketels, C. & Protsiv, S. (2013). *Methodology and findings report for a cluster mapping of
    related sectors.* European Cluster Observatory, Center for Strategy and Competitiveness.
    """
    for name, q in (("size_quantile", size_quantile), ("focus_quantile", focus_quantile)):
        if not 0 < q < 1:
            raise OptionError(f"{name}: expected a quantile strictly between 0 and 1, got {q}.")
    e = check_counts(cluster_employment, name="cluster_employment")
    tot = check_counts(region_total, name="region_total").reindex(e.index)
    rated = e.notna() & tot.notna() & (tot > 0)
    if not rated.any():
        raise DataValueError("cluster_stars: no region has both cluster employment and a total.")
    focus = (e / tot).where(rated)
    lq = focus / (e[rated].sum() / tot[rated].sum())
    size_cut = e[rated].quantile(size_quantile)
    focus_cut = focus[rated].quantile(focus_quantile)
    out = pd.DataFrame(
        {
            "employment": e,
            "size_star": rated & (e >= size_cut),
            "lq": lq,
            "specialisation_star": rated & (lq >= lq_threshold),
            "focus": focus,
            "focus_star": rated & (focus >= focus_cut),
        }
    )
    # an unrated region has no stars, not 0 stars: NaN, shown as "not rated"
    out["stars"] = out[["size_star", "specialisation_star", "focus_star"]].sum(axis=1).where(rated)
    out["rated"] = rated
    return out


def portfolio(
    start: pd.Series,
    end: pd.Series,
    *,
    region_total_end: pd.Series,
) -> pd.DataFrame:
    r"""Compute the data of the cluster portfolio (bubble) chart for one cluster across regions.

    x = LQ in the end year; y = the region's cluster growth minus the reference area's cluster
    growth, in percentage points,

    .. math:: y_r = 100\left(\frac{e'_{rc}}{e_{rc}} - \frac{e'_{.c}}{e_{.c}}\right);

    bubble size = end-year cluster employment. Quadrants at LQ = 1 and y = 0 read as: stars
    (specialised, growing faster), mature (specialised, slower), emerging (not specialised,
    faster) and transformational (neither).

    Parameters
    ----------
    start, end : pandas.Series
        Cluster employment by region in the start and end years.
    region_total_end : pandas.Series
        Reference total of each region in the end year (for the LQ).

    Returns
    -------
    pandas.DataFrame
        Per region: ``lq``, ``growth`` (%), ``relative_growth`` (pp), ``employment``, ``quadrant``.
        A region with zero start employment has NaN growth and quadrant ``"new"``.

    References
    ----------
    Boston Consulting Group growth-share matrix as adapted for clusters in: Porter, M. E. (2003).
    The economic performance of regions. *Regional Studies* 37(6-7), 549-578.
    """
    start = check_counts(start, name="start")
    end = check_counts(end, name="end").reindex(start.index)
    tot = check_counts(region_total_end, name="region_total_end").reindex(start.index)
    lq = (end / tot) / (end.sum() / tot.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = 100 * (end / start.where(start > 0) - 1)
    ref = 100 * (end.sum() / start.sum() - 1)
    rel = growth - ref
    quadrant = np.select(
        [rel.isna(), (lq >= 1) & (rel >= 0), lq >= 1, rel >= 0],
        ["new", "star", "mature", "emerging"],
        default="transformational",
    )
    return pd.DataFrame(
        {
            "lq": lq,
            "growth": growth,
            "relative_growth": rel,
            "employment": end,
            "quadrant": quadrant,
        }
    )
