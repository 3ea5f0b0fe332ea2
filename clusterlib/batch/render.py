"""Render an executed notebook to an HTML report that reads offline.

Math is converted from TeX to MathML here (``latex2mathml``), which browsers render natively, so a
report needs neither MathJax nor any other script from the network; the template
(``templates/clusterlib``) drops every external ``<script>`` and ``<link>`` of nbconvert's lab
template and gives figures their alt text.
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
    from nbconvert import HTMLExporter

    nb = prerender_math(nb)
    if header_html:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(header_html, id="run-parameters"))
    exporter = HTMLExporter(
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
