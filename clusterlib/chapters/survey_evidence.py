"""The survey evidence that notebooks 02 and 03 share: the firms, their weights, where they came from.

:class:`SurveyEvidence` is loaded once from a notebook's parameters (the survey file, its mapping,
the margins of the weights) and handed to :class:`~clusterlib.chapters.innovation.InnovationChapter`
and :class:`~clusterlib.chapters.segments.SegmentsChapter`, so both chapters read the same firms,
the same weights and the same synthetic flag.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterlib.chapters.survey import load_survey, weights_for
from clusterlib.reference.areas import unit_regions


@dataclass(frozen=True)
class SurveyEvidence:
    """A survey, the focal region's firms and their weights.

    Attributes
    ----------
    region : str
        The focal region (NUTS2 code).
    survey : pandas.DataFrame
        Every surveyed firm (codebook form).
    firms : pandas.DataFrame
        The firms of ``region``.
    weights : pandas.Series or None
        Survey weights of ``firms`` raked to the margins file (None: unweighted).
    weights_summary : pandas.DataFrame or None
        Method, margins, design effect, effective sample size and range of the weights.
    synthetic : bool
        The data are synthetic (the bundled survey or a synthetic example questionnaire).
    bundled : bool
        The bundled synthetic survey, whose true parameters are known.
    source : str
        The source line of every table and figure.
    """

    region: str
    survey: pd.DataFrame
    firms: pd.DataFrame
    weights: pd.Series | None
    weights_summary: pd.DataFrame | None
    synthetic: bool
    bundled: bool
    source: str

    @classmethod
    def load(
        cls, *, region: str, survey_path: str = "", mapping_path: str = "", weights: str = ""
    ) -> SurveyEvidence:
        """Read the survey the parameters name and weight the region's firms.

        Parameters
        ----------
        region : str
            NUTS2 code of the focal region, or a cluster area of ``params/areas.yaml`` (its
            firms are those of its member regions).
        survey_path, mapping_path : str
            See :func:`clusterlib.chapters.survey.load_survey` (empty: the bundled survey).
        weights : str
            Margins YAML for raking (empty: unweighted).
        """
        loaded = load_survey(survey_path, mapping_path)
        members = unit_regions(region)
        firms = loaded.data[loaded.data["region"].isin(members)]
        w, summary = weights_for(firms, weights)
        return cls(
            region=region,
            survey=loaded.data,
            firms=firms,
            weights=w,
            weights_summary=summary,
            synthetic=loaded.synthetic,
            bundled=loaded.bundled,
            source=loaded.source,
        )

    @property
    def members(self) -> tuple[str, ...]:
        """The regions whose firms are the focal ones (the region itself, or an area's members)."""
        return unit_regions(self.region)

    @property
    def banner(self) -> str:
        """Return the synthetic-data warning in Markdown ("" for real data)."""
        from clusterlib.notices import synthetic_banner

        return synthetic_banner(self.synthetic)

    def weighted_share(self, column: str) -> float | None:
        r"""Return the weighted share of the region's firms with ``column`` = 1 (None: unweighted).

        Formula: :math:`\sum_i w_i y_i / \sum_i w_i` over the region's firms.
        """
        if self.weights is None:
            return None
        w = self.weights.reindex(self.firms.index)
        return float((self.firms[column] * w).sum() / w.sum())
