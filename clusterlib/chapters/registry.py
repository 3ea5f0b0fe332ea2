"""Which chapter each notebook shows, and how to build one from a notebook's parameters.

``clusterlib summary`` and the batch build the same objects as the notebooks: a chapter is built
from the parameters its notebook receives (``params/defaults.yaml`` overlaid by the region's
file), keeping only the keywords of its ``build``.
"""

from __future__ import annotations

import importlib
import inspect

#: Notebook -> (module, chapter class).
CHAPTERS = {
    "01_specialisation": ("clusterlib.chapters.specialisation", "SpecialisationChapter"),
    "02_innovation_drivers": ("clusterlib.chapters.innovation", "InnovationChapter"),
    "03_firm_segments": ("clusterlib.chapters.segments", "SegmentsChapter"),
    "04_related_industries": ("clusterlib.chapters.related", "RelatedChapter"),
    "05_value_chains": ("clusterlib.chapters.value_chains", "ValueChainChapter"),
    "06_innovation_context": ("clusterlib.chapters.context", "ContextChapter"),
}


def chapter_class(notebook: str) -> type:
    """Return the chapter class of ``notebook``.

    Examples
    --------
    >>> chapter_class("06_innovation_context").__name__
    'ContextChapter'
    """
    module, name = CHAPTERS[notebook]
    return getattr(importlib.import_module(module), name)


def build_arguments(notebook: str, params: dict) -> dict:
    """Return the keywords of ``params`` that the chapter's ``build`` takes.

    Examples
    --------
    >>> build_arguments("06_innovation_context", {"region": "PL34", "seed": 0, "output_dir": ""})
    {'region': 'PL34'}
    """
    accepted = inspect.signature(chapter_class(notebook).build).parameters
    return {k: v for k, v in params.items() if k in accepted}


def build_chapter(notebook: str, params: dict):
    """Build the chapter of ``notebook`` from its parameters."""
    return chapter_class(notebook).build(**build_arguments(notebook, params))
