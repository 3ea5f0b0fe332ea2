r"""Does relatedness predict which industries a region enters? (Neffke, Henning & Boschma 2011).

A region *enters* industry i between two years when it was not specialised at the start and is at
the end: :math:`\mathrm{RCA}_{ri,t_0} < 1` and :math:`\mathrm{RCA}_{ri,t_1} \ge 1`. The classic test
(Hidalgo et al. 2007; Neffke et al. 2011; Balland et al. 2019) regresses entry on the start year's
relatedness density, over every region-industry at risk (not specialised at the start):

.. math:: \Pr(\text{entry}_{ri}) = \Lambda(\beta_0 + \beta_1\, \omega_{ri,t_0}
    + \beta_2\, \mathrm{RCA}_{ri,t_0})

with the start RCA as the control for how close the cell already is to the threshold. A positive
average marginal effect of density is the evidence that diversification advice built on relatedness
rests on for these data.

Both years' RCA and the density are computed over the regions present in both years, so that a
change of Eurostat's coverage cannot create entries. Cells unknown in either year are left out and
counted.

References
----------
Neffke, F., Henning, M., & Boschma, R. (2011). How do regions diversify over time? *Economic
Geography*, 87(3), 237-265.
Hidalgo et al. (2007); Balland et al. (2019), see :mod:`clusterlib.relatedness.proximity`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlib.errors import EmptySelectionError, UnknownCodeError
from clusterlib.reference.nuts import region_countries
from clusterlib.relatedness.matrix import Cube, one_blas_thread, to_cube
from clusterlib.relatedness.proximity import density_array, proximity_array
from clusterlib.relatedness.rca import presence_array, rca_array

__all__ = ["entry_model", "entry_table"]

FORMULA = "entry ~ density_pct + rca_start"


@one_blas_thread
def entry_table(
    employment: pd.DataFrame, *, start: int, end: int, threshold: float = 1.0
) -> pd.DataFrame:
    """Every region-industry at risk of entry between ``start`` and ``end``, with its regressors.

    Parameters
    ----------
    employment : pandas.DataFrame
        The (year, region) x industry panel (:func:`~clusterlib.relatedness.industry_matrix`).
    start, end : int
        The two years.
    threshold : float
        RCA threshold of specialisation (default 1).

    Returns
    -------
    pandas.DataFrame
        One row per (region, industry) not specialised in ``start``: ``entry`` (0/1),
        ``density_pct`` (relatedness density in ``start``, 0-100), ``rca_start``, and ``country``.
        ``attrs`` holds ``n_regions`` and ``n_unknown`` (cells left out as unknown).

    Raises
    ------
    UnknownCodeError
        A year not in the panel.
    EmptySelectionError
        No region present in both years.
    """
    cube = to_cube(employment)
    years = list(cube.years or ())
    for y in (start, end):
        if y not in years:
            raise UnknownCodeError(f"entry_table: year {y} is not in the panel (years: {years}).")
    if not start < end:
        raise UnknownCodeError(f"entry_table: start ({start}) must be before end ({end}).")
    a, b = years.index(start), years.index(end)
    rows = cube.present[0]
    both = rows[a] & rows[b]
    if both.sum() < 2:
        raise EmptySelectionError(
            f"entry_table: fewer than 2 regions have data in both {start} and {end}."
        )
    X = cube.values[[a, b]][:, both]
    sub = Cube(X, (start, end), cube.regions[both], cube.industries)
    M = presence_array(sub, threshold)
    R = rca_array(sub)
    dens = density_array(M[:1], proximity_array(M[:1]))[0]
    at_risk = M[0] == 0
    known = at_risk & np.isfinite(M[1])
    r, i = np.nonzero(known)
    out = pd.DataFrame({
        "region": sub.regions[r],
        "industry": sub.industries[i],
        "country": region_countries(sub.regions[r]),
        "entry": M[1][r, i].astype(int),
        "density_pct": 100 * dens[r, i],
        "rca_start": R[0][r, i],
    })  # fmt: skip
    out.attrs.update(n_regions=int(both.sum()), n_unknown=int((at_risk & ~np.isfinite(M[1])).sum()))
    out.attrs.update(start=start, end=end)
    return out


def entry_model(table: pd.DataFrame, *, cov_type: str = "cluster"):
    """Fit the entry logit on :func:`entry_table` and return the model and the AME table.

    ``entry ~ density_pct + rca_start``, logit, standard errors clustered by region (the cells
    of one region share its shocks).

    Returns
    -------
    tuple of (ModelResult, pandas.DataFrame)
        The fitted model and :func:`clusterlib.innovation.average_marginal_effects` of it; the
        AME of ``density_pct`` is the change in the probability of entry per percentage point
        of density.
    """
    from clusterlib.innovation import average_marginal_effects, fit_model

    model = fit_model(
        FORMULA, table, family="logit", cov_type=cov_type,
        groups="region" if cov_type == "cluster" else None,
    )  # fmt: skip
    return model, average_marginal_effects(model)
