"""The examples in the docstrings of the evidence and expert-scoring modules run (doctests).

Kept apart from the modules' own tests: mutmut's trampolines replace the functions whose
docstrings these run, so this file is not in the mutation test selection.
"""

import doctest

import pandas as pd
import pytest

import clusterlib.io.evidence
import clusterlib.io.expert_scores
import clusterlib.io.sheets
import clusterlib.stakeholders.agreement
import clusterlib.stakeholders.example
import clusterlib.stakeholders.scoring
import clusterlib.stakeholders.triangulation


@pytest.mark.parametrize("module", [
    clusterlib.io.sheets, clusterlib.io.evidence, clusterlib.io.expert_scores,
    clusterlib.stakeholders.agreement, clusterlib.stakeholders.scoring,
    clusterlib.stakeholders.triangulation, clusterlib.stakeholders.example,
], ids=lambda m: m.__name__)  # fmt: skip
def test_doctests(module):
    result = doctest.testmod(
        module, extraglobs={"pd": pd}, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0 and result.failed == 0
