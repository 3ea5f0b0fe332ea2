"""Regional specialisation: location quotients, indices, shift-share, agglomeration, star ratings."""

from clusterlib.io.cells import prepare_cells  # the tidy-data layer; public here as before
from clusterlib.io.confidential import POLICIES, fill_missing
from clusterlib.io.select import select
from clusterlib.specialisation.agglomeration import ellison_glaeser, plants_from_counts
from clusterlib.specialisation.base import region_base
from clusterlib.specialisation.indices import (
    gini,
    herfindahl,
    hoover_index,
    krugman_index,
    locational_gini,
    shannon_entropy,
    specialisation_coefficient,
)
from clusterlib.specialisation.lq import location_quotient, location_quotient_ci
from clusterlib.specialisation.lq_long import location_quotient_long
from clusterlib.specialisation.shift_share import shift_share
from clusterlib.specialisation.stars import cluster_stars, portfolio
from clusterlib.specialisation.table import employment_matrix, specialisation_table

__all__ = [
    "POLICIES",
    "cluster_stars",
    "ellison_glaeser",
    "employment_matrix",
    "fill_missing",
    "gini",
    "herfindahl",
    "hoover_index",
    "krugman_index",
    "location_quotient",
    "location_quotient_ci",
    "location_quotient_long",
    "locational_gini",
    "plants_from_counts",
    "portfolio",
    "prepare_cells",
    "region_base",
    "select",
    "shannon_entropy",
    "shift_share",
    "specialisation_coefficient",
    "specialisation_table",
]
