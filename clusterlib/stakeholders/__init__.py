"""Stakeholder evidence: statements set against the data, and expert scoring of actions.

Workshop, interview and expert statements are triangulated with the SWOT lines from the data;
experts' scores of the proposed actions give medians, a priority order and their agreement.

Read the files with :func:`clusterlib.io.evidence.read_evidence` and
:func:`clusterlib.io.expert_scores.read_expert_scores` (formats in ``data/evidence/FORMAT.md``).
"""

from clusterlib.stakeholders.agreement import agreement_change, kendalls_w
from clusterlib.stakeholders.scoring import priority_order, score_summary
from clusterlib.stakeholders.triangulation import evidence_quotes, triangulate

__all__ = [
    "agreement_change",
    "evidence_quotes",
    "kendalls_w",
    "priority_order",
    "score_summary",
    "triangulate",
]
