"""What drives firms' innovation: survey scales, the synthetic survey and the regression toolkit."""

from clusterlib.innovation.bootstrap import bootstrap_ame
from clusterlib.innovation.diagnostics import diagnostics, hosmer_lemeshow, link_test, vif
from clusterlib.innovation.families import FAMILIES, Family, family_of
from clusterlib.innovation.margins import average_marginal_effects
from clusterlib.innovation.model import COV_TYPES, fit_model
from clusterlib.innovation.results import ModelResult
from clusterlib.innovation.scales import cronbach_alpha, item_rest, reverse_code, scale_score
from clusterlib.innovation.separation import (
    EventsPerVariableWarning,
    firth_logit,
    separation,
)
from clusterlib.innovation.synthetic import synthetic_survey, truth, write_survey
from clusterlib.innovation.tables import model_table, model_table_html, model_table_latex

__all__ = [
    "COV_TYPES",
    "EventsPerVariableWarning",
    "bootstrap_ame",
    "diagnostics",
    "firth_logit",
    "hosmer_lemeshow",
    "link_test",
    "separation",
    "vif",
    "FAMILIES",
    "Family",
    "family_of",
    "ModelResult",
    "average_marginal_effects",
    "cronbach_alpha",
    "fit_model",
    "item_rest",
    "model_table",
    "reverse_code",
    "scale_score",
    "synthetic_survey",
    "model_table_html",
    "model_table_latex",
    "truth",
    "write_survey",
]
