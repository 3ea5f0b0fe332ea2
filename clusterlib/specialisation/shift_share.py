"""Shift-share decomposition of employment change (Dunn; Esteban-Marquillas)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import DataValueError
from clusterlib.specialisation._wide import check_wide

COMPONENTS = ["national_share", "industry_mix", "regional_shift"]


def shift_share(
    start: pd.DataFrame,
    end: pd.DataFrame,
    *,
    region_total_start: pd.Series | None = None,
    region_total_end: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Classic (Dunn) and Esteban-Marquillas shift-share of every region and industry.

    With :math:`e` employment at the start and :math:`e'` at the end, :math:`g` the growth rate of
    the whole reference area, :math:`g_i` that of industry i in the reference area and
    :math:`g_{ri}` that of industry i in region r:

    .. math::

        e'_{ri} - e_{ri} = \underbrace{e_{ri}\, g}_{\text{national share}}
            + \underbrace{e_{ri} (g_i - g)}_{\text{industry mix}}
            + \underbrace{e_{ri} (g_{ri} - g_i)}_{\text{regional shift}}

    The net total shift is industry mix + regional shift. Esteban-Marquillas split the regional
    shift with the homothetic employment :math:`\hat e_{ri} = e_{r.}\, e_{.i} / e_{..}` into a
    competitive effect :math:`\hat e_{ri}(g_{ri} - g_i)` and an allocation effect
    :math:`(e_{ri} - \hat e_{ri})(g_{ri} - g_i)`.

    Parameters
    ----------
    start, end : pandas.DataFrame
        Employment in the two years; index = regions of the reference area, columns = industries.
        Both must have the same index and columns.
    region_total_start, region_total_end : pandas.Series, optional
        Each region's total (all industries of the economy) in the two years, for :math:`g` and
        :math:`\hat e`. Default: the row sums, right when the columns exhaust the economy.

    Returns
    -------
    pandas.DataFrame
        Indexed by (region, industry) with ``start``, ``end``, ``change``, ``national_share``,
        ``industry_mix``, ``regional_shift``, ``net_shift``, ``homothetic``, ``competitive``,
        ``allocation`` and ``new_industry``. The three classic components add up to ``change``
        exactly, and ``competitive + allocation == regional_shift``. Sum over a region's rows
        (``groupby(level="region").sum()``) for region totals.

    Notes
    -----
    **Zero employment at the start** (:math:`e_{ri} = 0`, so :math:`g_{ri}` is undefined): the
    national share and industry mix are 0 and the whole change :math:`e'_{ri}` is the regional
    shift, flagged ``new_industry``; in Esteban-Marquillas terms it is all allocation (the region
    had no specialisation in it), so the competitive effect is 0. **An industry with zero
    employment in the whole reference area at the start** has :math:`g_i` undefined; its industry
    mix is 0 and the change is regional shift. No region turns NaN because of one such industry;
    NaN inputs give NaN rows only for the cells they touch.

    References
    ----------
    Dunn, E. S. (1960). A statistical and analytical technique for regional analysis. *Papers of
    the Regional Science Association* 6, 97-112.
    Esteban-Marquillas, J. M. (1972). A reinterpretation of shift-share analysis. *Regional and
    Urban Economics* 2(3), 249-255.
    """
    start, end = check_wide(start, name="start"), check_wide(end, name="end")
    if not (start.index.equals(end.index) and start.columns.equals(end.columns)):
        raise DataValueError(
            "start and end: expected the same regions (index) and industries (columns) in the same "
            "order; align them with end.reindex_like(start)."
        )
    e0, e1 = start.to_numpy(), end.to_numpy()
    tot0 = (
        start.sum(axis=1) if region_total_start is None else region_total_start.reindex(start.index)
    ).to_numpy(float)
    tot1 = (
        end.sum(axis=1) if region_total_end is None else region_total_end.reindex(end.index)
    ).to_numpy(float)
    for label, tot in (("start", tot0), ("end", tot1)):
        if np.isnan(tot).any():
            raise DataValueError(
                f"region_total_{label}: unknown for region(s) "
                f"{list(start.index[np.isnan(tot)])[:5]}; the reference growth needs every region's "
                "total. Choose a year with complete data or the 'fill' / 'complete-sections' policy."
            )
    E0, E1 = tot0.sum(), tot1.sum()
    if E0 <= 0:
        raise DataValueError("start: the reference area has no employment at the start year.")
    g = E1 / E0 - 1
    I0, I1 = np.nansum(e0, axis=0), np.nansum(e1, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gi = np.where(I0 > 0, I1 / I0 - 1, np.nan)
        gri = e1 / e0 - 1
    new = e0 == 0
    ns = e0 * g
    im = np.where(I0 > 0, e0 * (gi - g), 0.0)
    change = e1 - e0
    rs = change - ns - im  # = e0 (g_ri - g_i); equals e1 when e0 == 0; NaN if either count is
    hom = tot0[:, None] * I0[None, :] / E0
    comp = np.where(new | (I0 == 0)[None, :], 0.0, hom * (gri - gi[None, :]))
    alloc = rs - comp
    index = pd.MultiIndex.from_product([start.index, start.columns], names=["region", "industry"])
    cols = {
        "start": e0, "end": e1, "change": change,
        "national_share": ns, "industry_mix": im, "regional_shift": rs, "net_shift": im + rs,
        "homothetic": hom, "competitive": comp, "allocation": alloc, "new_industry": new,
    }  # fmt: skip
    return pd.DataFrame(
        {k: np.broadcast_to(v, e0.shape).ravel() for k, v in cols.items()}, index=index
    )
