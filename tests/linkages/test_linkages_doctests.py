"""The docstring examples of clusterlib.linkages and the input-output readers run (doctests).

Kept apart from the modules' own tests: mutmut's trampolines replace the functions whose
docstrings these run, so this file is not in the mutation test selection.
"""

import doctest
import importlib

import pandas as pd
import pytest

import clusterlib as cl
import clusterlib.linkages

# by name: clusterlib.linkages.multipliers is the function of that name re-exported by the package
MODULES = [importlib.import_module(f"clusterlib.{m}") for m in (
    "linkages.coefficients", "linkages.inverses", "linkages.multipliers", "linkages.linkage",
    "linkages.regional", "linkages.strength", "linkages.bridge", "linkages.value_chain",
    "io.io_tables",
)]  # fmt: skip


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(
        module, extraglobs={"pd": pd}, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0 and result.failed == 0


def test_public_names():
    for name in clusterlib.linkages.__all__ + ["read_io_table", "load_wiod_poland",
                                               "load_manual_example"]:  # fmt: skip
        assert name in cl.__all__ and callable(getattr(cl, name))
    assert "linkages" in cl.__all__
