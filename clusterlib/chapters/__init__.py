"""What the notebooks show: one module per notebook (chapter), plus display and metrics.

- :mod:`~clusterlib.chapters.specialisation` (notebook 01): :class:`SpecialisationChapter`, built
  once and used by the notebook, ``clusterlib summary`` and the brief; its views and tables are
  :mod:`~clusterlib.chapters.specialisation_show`, its Europe-wide benchmarking
  :mod:`~clusterlib.chapters.europe`;
- :mod:`~clusterlib.chapters.innovation` (02), :mod:`~clusterlib.chapters.segments` (03),
  :mod:`~clusterlib.chapters.related` (04), :mod:`~clusterlib.chapters.value_chains` (05) and
  :mod:`~clusterlib.chapters.context` (06); :mod:`~clusterlib.chapters.registry` maps notebooks
  to chapters, all of one shape (:mod:`~clusterlib.chapters.base`);
- :mod:`~clusterlib.chapters.display`: formatted tables, figures with alt text, notes;
- :mod:`~clusterlib.chapters.metrics`: the typed contract of ``metrics.json`` and the findings
  stored with it.

The analysis packages never import this one; it imports them.
"""
