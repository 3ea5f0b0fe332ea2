"""pymrio (a peer implementation on PyPI) against clusterlib.linkages on the Polish WIOD table.

pymrio.calc_A, calc_L, calc_S and calc_M compute A = Z x̂⁻¹, L = (I - A)⁻¹, the stressor
coefficients S = F x̂⁻¹ and the multipliers M = S L; clusterlib must agree to 1e-10. Both run here
on the same inputs (no golden file).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio
import pytest

from clusterlib.io.io_tables import load_wiod_poland
from clusterlib.linkages import leontief_inverse, multipliers, regionalise, technical_coefficients


@pytest.fixture(scope="module")
def table():
    return load_wiod_poland()


def test_A_L_and_multipliers_agree_with_pymrio(table):
    Z, x = table.flows, table.output
    A = technical_coefficients(Z, x)
    A_peer = pymrio.calc_A(Z, x)
    np.testing.assert_allclose(A.to_numpy(), A_peer.to_numpy(), rtol=0, atol=1e-10)
    L = leontief_inverse(A)
    L_peer = pymrio.calc_L(A_peer)
    np.testing.assert_allclose(L.to_numpy(), L_peer.to_numpy(), rtol=0, atol=1e-10)
    F = pd.DataFrame([table.value_added], index=["value_added"])
    M_peer = pymrio.calc_M(pymrio.calc_S(F, x), L_peer)
    m = multipliers(A, value_added=table.value_added / x)
    np.testing.assert_allclose(m["value_added"], M_peer.loc["value_added"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(m["output"], L_peer.sum(axis=0), rtol=0, atol=1e-10)


def test_stacked_regions_agree_with_pymrio_region_by_region(table):
    A = technical_coefficients(table.flows, table.output)
    rng = np.random.default_rng(3)
    national = table.output  # any positive size by industry will do as "employment"
    regional = pd.DataFrame(
        rng.uniform(0, 1, (4, 35)) * national.to_numpy() / 10,
        index=["R1", "R2", "R3", "R4"],
        columns=A.columns,
    )
    stacked = regionalise(A, regional=regional, national=national)
    L = leontief_inverse(stacked)
    m = multipliers(stacked)
    for region in regional.index:
        peer = pymrio.calc_L(stacked.loc[region])
        np.testing.assert_allclose(L.loc[region].to_numpy(), peer.to_numpy(), atol=1e-10)
        np.testing.assert_allclose(m.loc[region, "output"], peer.sum(axis=0), atol=1e-10)
