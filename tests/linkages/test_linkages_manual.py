"""The Eurostat manual's worked example (Germany 1995, six sectors): every published multiplier.

Golden values: Eurostat (2008), *Eurostat Manual of Supply, Use and Input-Output Tables*, ch. 15
(tables after Beutel), as listed in data/raw/SOURCES.md ("Published results that an
implementation must reproduce"); output is row P1 (output at basic prices). Printed to 4 decimals,
so they are compared to 1e-4 (half a unit in the last place plus rounding of the inputs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlib.io.io_tables import load_manual_example
from clusterlib.linkages import leontief_inverse, multipliers, technical_coefficients

OUTPUT_MULTIPLIERS = [1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782]
LEONTIEF_DIAGONAL = [1.0339, 1.4292, 1.0289, 1.1784, 1.4126, 1.0515]
GVA_MULTIPLIERS = [0.8450, 0.7647, 0.8615, 0.9019, 0.9393, 0.9199]
EMPLOYMENT_PER_FINAL_DEMAND = [0.0326, 0.0162, 0.0207, 0.0237, 0.0112, 0.0242]
TOL = 1e-4


@pytest.fixture(scope="module")
def table():
    return load_manual_example()


@pytest.fixture(scope="module")
def A(table):
    return technical_coefficients(table.flows, table.output)


def test_leontief_diagonal(A):
    L = leontief_inverse(A)
    np.testing.assert_allclose(np.diag(L.to_numpy()), LEONTIEF_DIAGONAL, atol=TOL, rtol=0)


def test_every_published_multiplier(table, A):
    gva = table.value_added / table.output
    jobs = table.primary.loc["EMP"] / table.output
    m = multipliers(A, value_added=gva, employment=jobs)
    np.testing.assert_allclose(m["output"], OUTPUT_MULTIPLIERS, atol=TOL, rtol=0)
    np.testing.assert_allclose(m["value_added"], GVA_MULTIPLIERS, atol=TOL, rtol=0)
    np.testing.assert_allclose(m["employment"], EMPLOYMENT_PER_FINAL_DEMAND, atol=TOL, rtol=0)
    # type I = effect / direct coefficient, by definition
    np.testing.assert_allclose(m["employment_type_i"], m["employment"] / jobs, rtol=1e-12)


def test_type_ii_exceeds_type_i_and_matches_bordered_inverse(table, A):
    wages = table.primary.loc["D1"] / table.output
    hh = table.final_demand["consumption_expenditure_household"]
    consumption = hh / table.primary.loc["D1"].sum()
    m = multipliers(A, income=wages, consumption=consumption)
    assert (m["output_type_ii"] > m["output"]).all()
    assert (m["income_type_ii"] > m["income_type_i"]).all()
    # independent: the bordered 7x7 matrix inverted directly
    n = len(A)
    bordered = np.zeros((n + 1, n + 1))
    bordered[:n, :n] = A.to_numpy()
    bordered[n, :n] = wages.to_numpy()
    bordered[:n, n] = consumption.to_numpy()
    Lbar = np.linalg.inv(np.eye(n + 1) - bordered)[:n, :n]
    np.testing.assert_allclose(m["output_type_ii"], Lbar.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(
        m["income_type_ii"], wages.to_numpy() @ Lbar / wages.to_numpy(), rtol=1e-12
    )


def test_published_labels_kept(A):
    m = multipliers(A)
    assert list(m.index) == list(A.columns)
    assert isinstance(m, pd.DataFrame) and list(m.columns) == ["output"]
