"""The shape every chapter shares: findings with their numbers, display views, export, summary.

A chapter is a frozen dataclass built once by ``Chapter.build(**params)`` from validated
parameters. It holds the computed tables and offers

* view methods ``show_*`` returning a :class:`View` (what one notebook section displays);
* :meth:`Chapter.findings`: a list of :class:`Finding`, each a generated sentence with the number
  it rests on, read by the notebook, ``clusterlib summary`` and the brief alike;
* :meth:`Chapter.metrics`: the typed record written to ``metrics.json``;
* :meth:`Chapter.tables` and :meth:`Chapter.export`: the tables as CSV files, written atomically;
* :meth:`Chapter.to_markdown`: the chapter's summary for ``clusterlib summary``.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clusterlib.chapters.metrics import Finding

__all__ = ["Chapter", "Finding", "View", "collect_warnings", "findings_markdown"]

#: Warnings that concern developers, not readers.
_CHATTER = DeprecationWarning | FutureWarning | PendingDeprecationWarning


def findings_markdown(findings: list[Finding], *, heading: str = "### Key findings") -> str:
    """Return findings as a Markdown list under ``heading``.

    Examples
    --------
    >>> print(findings_markdown([Finding("n", "12 firms.", 12.0)]))
    ### Key findings
    <BLANKLINE>
    - 12 firms.
    """
    return "\n".join([heading, "", *(f"- {f.text}" for f in findings)])


@contextlib.contextmanager
def collect_warnings() -> Iterator[list[str]]:
    """Collect the distinct warnings raised inside the block as readers' notes (capitalised).

    Examples
    --------
    >>> with collect_warnings() as notes:
    ...     warnings.warn("few events per variable")
    >>> notes
    ['Few events per variable']
    """
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield messages
    for w in caught:
        text = str(w.message).strip()
        if issubclass(w.category, _CHATTER) or not text:
            continue
        text = text[0].upper() + text[1:]
        if text not in messages:
            messages.append(text)


@dataclass
class View:
    """What one section of a notebook displays: tables, figures and notes, in order.

    Displayed by Jupyter (``_ipython_display_``) as separate outputs, each exactly as
    :mod:`clusterlib.chapters.display` renders it. Parts are ``(kind, payload, extra)`` with kind
    ``"table"`` (HTML), ``"figure"`` (PNG bytes, alt text) or ``"markdown"``.
    """

    parts: list[tuple[str, object, object]] = field(default_factory=list)

    def table(self, df: pd.DataFrame | pd.Series, **options) -> View:
        """Add a table rendered by :func:`~clusterlib.chapters.display.table_html`."""
        from clusterlib.chapters.display import table_html

        self.parts.append(("table", table_html(df, **options), None))
        return self

    def figure(self, fig, *, alt: str) -> View:
        """Add a matplotlib figure (rendered to PNG now, then closed) with its alt text."""
        import matplotlib.pyplot as plt

        from clusterlib.chapters.display import figure_png

        png = figure_png(fig)
        plt.close(fig)
        self.parts.append(("figure", png, alt))
        return self

    def markdown(self, text: str) -> View:
        """Add generated Markdown."""
        self.parts.append(("markdown", text, None))
        return self

    def note(self, text: str) -> View:
        """Add a visible, worded note."""
        return self.markdown(f"> **Note.** {text}")

    def notes(self, texts: list[str] | tuple[str, ...]) -> View:
        """Add one note per text (e.g. the warnings collected while building)."""
        for text in texts:
            self.note(text)
        return self

    def __add__(self, other: View) -> View:
        return View([*self.parts, *other.parts])

    def _ipython_display_(self) -> None:
        import base64

        from IPython.display import HTML, display

        from clusterlib.chapters.display import _STYLE, markdown

        for kind, payload, extra in self.parts:
            if kind == "table":
                display(HTML(_STYLE + str(payload)))
            elif kind == "figure":
                data = base64.b64encode(payload).decode("ascii")  # type: ignore[arg-type]
                display({"image/png": data, "text/plain": extra}, raw=True,
                        metadata={"alt": extra})  # fmt: skip
            else:  # as display.markdown shows it: no raw HTML in generated Markdown
                markdown(str(payload))


class Chapter:
    """Mixin of the methods every chapter shares.

    A chapter defines ``findings``, ``metrics`` and ``tables``, and ``TITLE`` and ``EXPORT``.
    """

    TITLE = "Chapter"
    EXPORT = "tables"

    def findings(self) -> list[Finding]:  # pragma: no cover - every chapter defines it
        """Return the key findings."""
        raise NotImplementedError

    def tables(self) -> dict[str, pd.DataFrame]:  # pragma: no cover - every chapter defines it
        """Return the tables to export, by file name."""
        raise NotImplementedError

    def metrics(self):  # pragma: no cover - every chapter defines it
        """Return the typed record of ``metrics.json``."""
        raise NotImplementedError

    def show_findings(self) -> View:
        """Show the key findings."""
        return View().markdown(findings_markdown(self.findings()))

    def export(self, folder: str | Path) -> list[Path]:
        """Write the tables as CSV files and one XLSX workbook into ``folder/exports/``.

        Each table of :meth:`tables` becomes ``<name>.csv``; the workbook ``<EXPORT>.xlsx`` holds
        them all. Every file is written atomically.

        Returns the paths written: the CSV files in the order of :meth:`tables`, then the workbook.
        """
        from clusterlib.io.export import csv_text, xlsx_export
        from clusterlib.io.files import write_atomic

        tables = self.tables()
        out = Path(folder) / "exports"
        # no cell starting with =, +, -, @ acts as a spreadsheet formula (io.export)
        paths = [write_atomic(out / f"{name}.csv", csv_text(df)) for name, df in tables.items()]
        paths.append(write_atomic(out / f"{self.EXPORT}.xlsx", xlsx_export(tables)))
        return paths

    def save(self, output_dir: str | Path | None) -> None:
        """Write the chapter's metrics and exports into ``output_dir`` (the batch's region folder).

        Does nothing when ``output_dir`` is empty (interactive use); returns None, so that a
        notebook's last line shows nothing.
        """
        from clusterlib.chapters.metrics import write_metrics

        if output_dir:
            self.export(output_dir)
            write_metrics(self.metrics(), output_dir, findings=self.findings())

    def to_markdown(self) -> str:
        """Return the chapter's summary (its title and key findings) in Markdown."""
        body = findings_markdown(self.findings(), heading="## Key findings")
        return f"# {self.TITLE}\n\n{body}\n"
