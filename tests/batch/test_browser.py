"""The rendered reports in a real browser: headless Chromium (Debian's package) via playwright.

A batch for one region (with ``language: pl``) renders the index, the reports and the strategy
brief in English and in Polish; each page is opened from disk with every request watched. The test fails on any request that would leave the
machine, any console error, raw TeX, a ``PosixPath``, ``Traceback`` or ``Warning`` in the text,
and pandas' truncation marks. Screenshots are saved next to the reports (``screenshots/``).
"""

from __future__ import annotations

import re
import shutil

import pytest

from clusterlib import config
from clusterlib.cli import main

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PAGES = [
    "index.html",
    "PL22/01_specialisation.html",
    "PL22/02_innovation_drivers.html",
    "PL22/03_firm_segments.html",
    "PL22/04_related_industries.html",
    "PL22/brief.html",
    "PL22/brief_pl.html",
]
RAW_TEX = re.compile(
    r"\\(dfrac|frac|operatorname|sum|sigma|alpha|partial|Lambda|text)\b|\$[A-Za-z\\]"
)
FORBIDDEN = ("PosixPath", "Traceback", "Warning", "rows ×", "dtype: float64", "votes: {")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("no Chromium found (CI installs Debian's chromium); browser test not run")
    pytest.importorskip("playwright.sync_api")
    base = tmp_path_factory.mktemp("browser")
    params = base / "params"
    shutil.copytree(config.params_dir(), params)
    defaults = params / "defaults.yaml"
    text = defaults.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    defaults.write_text(text.replace("\nlanguage: en\n", "\nlanguage: pl\n"), encoding="utf-8")
    out = base / "reports"
    argv = ["run", "--regions", "PL22", "--params", str(params), "--out", str(out), "--jobs", "2",
            "--no-progress"]  # fmt: skip
    assert main(argv) == 0
    return out


@pytest.mark.parametrize("page_path", PAGES)
def test_report_reads_offline_and_clean(reports, page_path):
    from playwright.sync_api import sync_playwright

    target = reports / page_path
    assert target.exists(), f"{page_path} was not written"
    outside, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith(("file://", "data:", "about:"))
                else None
            ),
        )
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(target.as_uri(), wait_until="load")
        text = page.inner_text("body")
        shots = reports / "screenshots"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / (page_path.replace("/", "_") + ".png")), full_page=True)
        n_math = page.locator("math").count()
        html_lang = page.evaluate("document.documentElement.lang")
        n_english = page.locator('[lang="en"]').count()  # items quoted in English
        browser.close()
    assert outside == [], f"requests leaving the machine: {outside[:5]}"
    assert errors == [], f"console errors: {errors[:5]}"
    assert not RAW_TEX.search(text), f"raw TeX visible: {RAW_TEX.search(text).group(0)!r}"
    for word in FORBIDDEN:
        assert word not in text, f"{word!r} in the rendered text of {page_path}"
    assert "\n...\n" not in text and "\t...\t" not in text  # pandas' truncation rows/columns
    if page_path.endswith(("01_specialisation.html", "02_innovation_drivers.html")):
        assert n_math > 0  # formulas are there, as MathML
    if page_path.endswith("brief.html"):
        for section in ("Current state", "Key factors", "Growth perspectives", "SWOT",
                        "Monitoring indicators", "Proposed actions", "SYNTHETIC"):  # fmt: skip
            assert section in text
    if page_path.endswith("brief_pl.html"):
        for section in ("Obecny stan branży", "Kluczowe czynniki rozwoju", "Perspektywy wzrostu",
                        "Analiza SWOT", "Wskaźniki monitorowania", "Proponowane działania",
                        "Mocne strony", "Słabe strony", "Szanse", "Zagrożenia",
                        "DANE SYNTETYCZNE"):  # fmt: skip
            assert section in text, section
        assert html_lang == "pl"
        assert re.search(r"\d,\d+%", text) and re.search(r"\d\u00a0\d{3}", text)  # 8,0% 88 585
        assert "Current state" not in text and "Strengths" not in text and n_english == 0
    if page_path == "index.html":
        assert "metal and machinery" in text and "2014" in text and "Grey" in text
        assert "strategy brief" in text and "brief (polski)" in text
