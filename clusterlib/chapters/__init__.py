"""What the notebooks show: one module per notebook (chapter), plus display and metrics.

- :mod:`~clusterlib.chapters.specialisation` (notebook 01): :class:`SpecialisationChapter`, built
  once and used by the notebook, ``clusterlib summary`` and the brief;
- :mod:`~clusterlib.chapters.innovation` (02) and :mod:`~clusterlib.chapters.segments` (03);
- :mod:`~clusterlib.chapters.display`: formatted tables, figures with alt text, notes;
- :mod:`~clusterlib.chapters.metrics`: the typed contract of ``metrics.json``.

The analysis packages never import this one; it imports them.
"""
