"""The report exporter adds nbconvert's accessibility attributes without its BeautifulSoup pass.

The peer is nbconvert's own ``HTMLExporter`` with the same template and options: both pages are
parsed, and every element must carry the same attributes (``tabindex`` on input and output areas,
``alt`` on images) and the page the same text.
"""

import base64
import copy

import nbformat
import pytest
from bs4 import BeautifulSoup

from clusterlib import config
from clusterlib.batch import render
from clusterlib.batch.render import NO_ALT, accessible

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


def _elements(page: str) -> list[tuple]:
    soup = BeautifulSoup(page, "html.parser")
    return [
        (
            t.name,
            tuple(
                sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in t.attrs.items())
            ),
        )  # fmt: skip
        for t in soup.find_all(True)
    ]


def _peer(nb, **options) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="clusterlib", extra_template_basedirs=[str(render.TEMPLATES)], **options
    )
    return exporter.from_notebook_node(nb)[0]


def _outputs_notebook():
    """Every kind of output area: stream, error, HTML, Markdown, PNG with and without alt, JPEG
    and SVG (no alt in the lab template), plain text, and a shown input."""
    out = nbformat.v4.new_output
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title\n\n![a picture](data:image/png;base64,"
                                                  f"{PNG})\n\n<div class='x'>user div</div>"))  # fmt: skip
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", outputs=[
        out("stream", name="stdout", text="1\n"),
        out("display_data", data={"text/html": "<table><tr><td>1</td></tr></table>"}),
        out("display_data", data={"text/markdown": "**bold**"}),
        out("display_data", data={"image/png": PNG, "text/plain": "a chart"}),
        out("display_data", data={"image/png": PNG}),
        out("display_data", data={"image/jpeg": PNG}),
        out("display_data", data={"image/svg+xml": "<svg><rect width='1' height='1'/></svg>"}),
        out("execute_result", data={"text/plain": "42"}, execution_count=1),
        out("error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"]),
    ]))  # fmt: skip
    return nb


@pytest.mark.parametrize("exclude_input", [True, False])
def test_same_elements_and_attributes_as_nbconvert(exclude_input):
    options = dict(exclude_input=exclude_input, exclude_input_prompt=True,
                   exclude_output_prompt=True)  # fmt: skip
    nb = _outputs_notebook()
    ours = render._exporter(
        template_name="clusterlib", extra_template_basedirs=[str(render.TEMPLATES)], **options
    ).from_notebook_node(copy.deepcopy(nb))[0]
    peer = _peer(copy.deepcopy(nb), **options)
    assert _elements(ours) == _elements(peer)
    assert ours.count('tabindex="0"') >= 8 and ours.count(f'alt="{NO_ALT}"') >= 1
    text = BeautifulSoup(ours, "html.parser").get_text()
    assert text == BeautifulSoup(peer, "html.parser").get_text()


def test_a_committed_report_renders_as_nbconvert_would():
    """The default run of notebook 01 (tables, Markdown, eight figures) through both exporters."""
    nb = nbformat.read(config.PROJECT_ROOT / "notebooks" / "01_specialisation.ipynb", as_version=4)
    options = dict(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    ours = render.render_notebook(copy.deepcopy(nb))
    peer = _peer(render.prerender_math(copy.deepcopy(nb)), **options)
    assert _elements(ours) == _elements(peer)


def _nbconvert_pass(page: str) -> str:
    """nbconvert 7's last step of HTMLExporter.from_notebook_node, as it is written there."""
    soup = BeautifulSoup(page, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = NO_ALT
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


EDGES = (
    '<div class="jp-OutputArea-output" tabindex="-1">a</div>',  # nbconvert replaces it
    "<div class='jp-Cell-inputWrapper'>b</div>",
    '<div class="jp-OutputArea-outputs">c</div><div>d</div><div data-class="jp-OutputArea-output">',
    '<img alt="given" src="x"><img src="y"/><IMG SRC="z"><img alt src="bare">',
    '<img data-alt="no" src="q?alt=media"><img title="a > b" src="gt">',
    '<span class="jp-OutputArea-output">e</span><DIV CLASS="jp-OutputArea-output">f</DIV>',
    '<div class="x jp-OutputArea-output" data-tabindex="5">g</div>',
    '<!-- <div class="jp-OutputArea-output"> <img src="in-comment"> -->',
    '<script>var s = \'<img src="in-script">\';</script><style>/* <div class="jp-Cell-inputWrapper"> */</style>',
)


@pytest.mark.parametrize("part", EDGES)
def test_accessible_agrees_with_nbconvert_on_edge_cases(part):
    page = f'<html><body class="jp-Notebook">{part}</div></body></html>'
    assert _elements(accessible(page)) == _elements(_nbconvert_pass(page))
    assert (
        BeautifulSoup(accessible(page), "html.parser").get_text()
        == BeautifulSoup(page, "html.parser").get_text()
    )
