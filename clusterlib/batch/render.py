"""Render an executed notebook to an HTML report that reads offline.

Math is converted from TeX to MathML here (``latex2mathml``), which browsers render natively, so a
report needs neither MathJax nor any other script from the network; the template
(``templates/clusterlib``) drops every external ``<script>`` and ``<link>`` of nbconvert's lab
template and gives figures their alt text.

The export itself is nbconvert's lab HTML exporter without its last step, which parses the whole
page (a megabyte, most of it base64 figures) with BeautifulSoup only to add ``tabindex="0"`` to
input and output areas and a stock alt text to images without one: that pass cost more than the
template itself (0.15 of 0.27 CPU seconds per report). :func:`accessible` adds the same attributes
to the same tags by reading start tags only.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

TEMPLATES = Path(__file__).parent / "templates"
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)")
_EXTERNAL = re.compile(r"<(script|link)\b[^>]*\b(src|href)=[\"']?(https?:)?//", re.I)
#: A comment, a script or style element (left alone), or a <div> or <img> start tag whose
#: attributes may hold quoted ">" characters.
_TAG = re.compile(
    r"(?P<skip><!--.*?-->|<(?P<raw>script|style)\b.*?</(?P=raw)\s*>)"
    r"|<(?P<name>div|img)\b(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?P<end>/?)>",
    re.S | re.I,
)
_TABINDEX = re.compile(r"""\btabindex\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+)|\btabindex\b""", re.I)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
#: Areas a keyboard user can move to, and the alt text of an image without one (as nbconvert's).
FOCUSABLE = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})
NO_ALT = "No description has been provided for this image"


def accessible(page: str) -> str:
    """Add nbconvert's accessibility attributes to a rendered page, without parsing all of it.

    Every ``<div>`` whose classes include an input wrapper or an output area gets
    ``tabindex="0"`` (so a keyboard reaches it; a tabindex it had is replaced) and every ``<img>``
    without an ``alt`` attribute gets a stock one, as :class:`nbconvert.HTMLExporter` does with
    BeautifulSoup. Only start tags are read; comments, scripts and style sheets are left as they
    are, since they hold no element.

    Examples
    --------
    >>> accessible('<div class="jp-OutputArea-output x"><img src="a.png"></div>')
    '<div class="jp-OutputArea-output x" tabindex="0"><img src="a.png" alt="No description has been provided for this image"></div>'
    """

    def tag(m: re.Match) -> str:
        if m.group("skip"):
            return m.group(0)
        attrs = {a.lower(): (a, v) for a, v in _ATTR.findall(m.group("attrs"))}
        if m.group("name").lower() == "img":
            if "alt" in attrs:
                return m.group(0)
            return f'<{m.group("name")}{m.group("attrs")} alt="{NO_ALT}"{m.group("end")}>'
        cls = attrs.get("class", ("", ""))[1].strip("\"'")
        if not set(cls.split()) & FOCUSABLE:
            return m.group(0)
        rest = m.group("attrs")
        if "tabindex" in attrs:  # nbconvert replaces it
            rest = _TABINDEX.sub('tabindex="0"', rest, count=1)
            return f"<{m.group('name')}{rest}{m.group('end')}>"
        return f'<{m.group("name")}{rest} tabindex="0"{m.group("end")}>'

    return _TAG.sub(tag, page)


def _exporter(**options):
    """Return nbconvert's HTML exporter, ending with :func:`accessible` instead of BeautifulSoup."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node up to its template call (nbconvert 7)
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return accessible(body), resources

    return ReportExporter(**options)


def tex_to_mathml(text: str) -> str:
    """Replace ``$$...$$`` and ``$...$`` in Markdown by MathML (block and inline).

    Raises
    ------
    ValueError
        If a formula cannot be converted (the message quotes it), so that no report shows raw
        TeX silently.
    """
    from latex2mathml.converter import convert

    def block(m: re.Match) -> str:
        return convert(m.group(1).strip(), display="block")

    def inline(m: re.Match) -> str:
        return convert(m.group(1).strip())

    try:
        return _INLINE.sub(inline, _DISPLAY.sub(block, text))
    except Exception as exc:  # noqa: BLE001 - latex2mathml raises several types
        raise ValueError(f"cannot render the formula in {text[:80]!r}: {exc}") from None


def prerender_math(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Convert the math of every Markdown cell and Markdown output of ``nb`` to MathML."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = tex_to_mathml(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/markdown" in data:
                data["text/markdown"] = tex_to_mathml(data["text/markdown"])
    return nb


def render_notebook(nb: nbformat.NotebookNode, *, header_html: str = "") -> str:
    """Render ``nb`` with the code hidden, math as MathML and no external resources."""
    nb = prerender_math(nb)
    if header_html:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(header_html, id="run-parameters"))
    exporter = _exporter(
        template_name="clusterlib",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    bad = _EXTERNAL.search(body)
    if bad:  # a guard: the template is meant to leave none
        raise ValueError(f"the rendered report would load {bad.group(0)!r} from the network.")
    return body


def render_html(notebook: Path, *, region: str, name: str, title: str, parameters: dict) -> str:
    """Render an executed notebook file as a report, with its run parameters shown on top."""
    nb = nbformat.read(notebook, as_version=4)
    rows = "".join(
        f"<tr><td><code>{html.escape(str(k))}</code></td>"
        f"<td><code>{html.escape(repr(v))}</code></td></tr>"
        for k, v in parameters.items()
    )
    header = (
        f"<p><b>Run parameters</b> ({html.escape(region)} {html.escape(name)}, "
        f'{html.escape(title)})</p><table class="cl-run-parameters">{rows}</table>'
    )
    return render_notebook(nb, header_html=header)
