"""Agreement with Harvard Growth Lab's ``ecomplexity`` (PyPI, a dev dependency) within 1e-6.

Peer implementation: ``ecomplexity.ecomplexity`` (RCA, M, density, ECI, PCI) and
``ecomplexity.proximity`` on the same input. Conventions are the same (see
:mod:`clusterlib.relatedness.complexity`): ECI standardised with the population standard deviation
and signed to correlate with diversity, PCI standardised with the regions' mean and deviation,
density including the industry itself. ``ecomplexity`` needs a complete matrix (it reads a NaN as
0), so the real-data case keeps the regions with every division known in 2014.
"""

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

from clusterlib.relatedness import (
    complexity,
    diversity,
    industry_matrix,
    presence,
    proximity,
    rca,
    relatedness_density,
    ubiquity,
)

ecomplexity = pytest.importorskip("ecomplexity")
COLS = {"time": "year", "loc": "region", "prod": "industry", "val": "value"}
TOL = 1e-6


def _matrices():
    from clusterlib.io.cache import load_eurostat

    real = industry_matrix(load_eurostat(), years=2014).loc[2014].dropna()
    rng = np.random.default_rng(11)
    cap, need = rng.uniform(size=(60, 1)), rng.uniform(size=(1, 25))
    synthetic = pd.DataFrame(
        rng.lognormal(size=(60, 25)) * np.exp(3 * (cap - need)),
        index=pd.Index([f"R{k:02d}" for k in range(60)], name="region"),
        columns=pd.Index([f"I{k:02d}" for k in range(25)], name="industry"),
    )
    return {"eurostat-2014": real, "synthetic": synthetic}


MATRICES = _matrices()


@pytest.fixture(scope="module", params=list(MATRICES))
def case(request):
    wide = MATRICES[request.param]
    tidy = wide.stack().rename("value").reset_index().assign(year=2014)
    with contextlib.redirect_stdout(io.StringIO()):
        out = ecomplexity.ecomplexity(tidy, COLS, verbose=False, check_logsupermodularity=False)
        prox = ecomplexity.proximity(tidy, COLS)
    return wide, out.set_index(["region", "industry"]), prox


def test_rca_and_presence(case):
    wide, out, _ = case
    assert wide.shape[0] > 50
    r = rca(wide).stack()
    np.testing.assert_allclose(r, out["rca"].reindex(r.index), atol=TOL, rtol=0)
    m = presence(wide).stack()
    assert (m == out["mcp"].reindex(m.index)).all()
    d = diversity(wide)
    np.testing.assert_array_equal(d, out["diversity"].groupby(level=0).first().reindex(d.index))
    u = ubiquity(wide)
    np.testing.assert_array_equal(u, out["ubiquity"].groupby(level=1).first().reindex(u.index))


def test_proximity(case):
    wide, _, prox = case
    theirs = prox.pivot(index="industry_1", columns="industry_2", values="proximity")
    ours = proximity(wide)
    np.testing.assert_allclose(ours, theirs.loc[ours.index, ours.columns], atol=TOL, rtol=0)


def test_density(case):
    wide, out, _ = case
    d = relatedness_density(wide).stack()
    np.testing.assert_allclose(d, out["density"].reindex(d.index), atol=TOL, rtol=0)


def test_eci_and_pci(case):
    wide, out, _ = case
    eci, pci = complexity(wide)
    theirs_eci = out["eci"].groupby(level=0).first().reindex(eci.index)
    theirs_pci = out["pci"].groupby(level=1).first().reindex(pci.index)
    np.testing.assert_allclose(eci, theirs_eci, atol=TOL, rtol=0)
    np.testing.assert_allclose(pci, theirs_pci, atol=TOL, rtol=0)
