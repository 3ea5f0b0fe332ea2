"""Reports of a batch: HTML renderings, the index of all regions, and the manifest."""

from __future__ import annotations

import html
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from clusterlib import config
from clusterlib.notices import SYNTHETIC_LABEL, SYNTHETIC_SURVEY
from clusterlib.reference.nuts import is_nuts_code


def data_hashes() -> dict[str, str]:
    """SHA-256 of every input: raw data (and the ``--data`` file), the survey, params/, notebooks."""
    from clusterlib.io.files import file_sha256 as sha256_file

    paths = sorted(config.raw_dir().glob("*")) + sorted(config.survey_dir().glob("*"))
    if config.eurostat_path() not in paths:  # a file given by --data (CLUSTERLIB_EUROSTAT)
        paths.append(config.eurostat_path())
    paths += sorted(config.params_dir().glob("*.yaml"))
    paths += sorted(config.notebooks_dir().glob("*.ipynb"))
    return {
        str(p.relative_to(config.PROJECT_ROOT))
        if p.is_relative_to(config.PROJECT_ROOT)
        else str(p): sha256_file(p)
        for p in paths
        if p.is_file()
    }


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=config.PROJECT_ROOT,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def collect_metrics(out: Path, region: str) -> dict:
    """Merge the per-notebook metrics of a region into ``<region>/metrics.json``."""
    from clusterlib.io.files import write_atomic

    rdir = out / region
    merged: dict = {}
    for p in sorted(rdir.glob(".*.metrics.json")):
        merged.update(json.loads(p.read_text(encoding="utf-8")))
    if merged:
        write_atomic(
            rdir / "metrics.json",
            json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
    return merged


def _fmt(value, spec: str) -> str:
    if value is None:
        return "–"
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return html.escape(str(value))


def _region_name(region: str, runs: list[dict]) -> str:
    from clusterlib.reference.nuts import nuts_table

    return runs[0].get("name") or str(nuts_table([region])["name"].iloc[0])


def write_index(
    out: Path,
    results: list[dict],
    *,
    index_figure: Callable[[Path, dict], str | None] | None = None,
) -> Path:
    """Write ``index.html``: what the reports show, every region with its links, and a map.

    Parameters
    ----------
    out : Path
        The batch's output folder.
    results : list of dict
        The runs (from :func:`clusterlib.batch.runner.run_batch`).
    index_figure : callable, optional
        ``index_figure(out, metrics)`` draws the map (a PNG in ``out``) and returns its file name;
        the CLI passes :func:`clusterlib.figures.maps.index_map`, so that the batch itself never
        loads the plotting code.
    """
    from clusterlib.io.files import write_atomic

    regions: dict[str, list[dict]] = {}
    for r in results:
        regions.setdefault(r["region"], []).append(r)
    metrics = {reg: collect_metrics(out, reg) for reg in regions}
    specs = [m["specialisation"] for m in metrics.values() if m.get("specialisation")]
    cluster = specs[0]["cluster"] if specs else ""
    codes = ", ".join(specs[0]["codes"]) if specs else ""
    year = specs[0]["year"] if specs else ""
    map_png = index_figure(out, metrics) if index_figure else None
    e = html.escape
    rows = []
    for reg, runs in regions.items():
        m = metrics[reg]
        name = _region_name(reg, runs)
        rows.append(_region_row(reg, name, m, _region_links(out, reg, runs)))
    n_failed = sum(r["status"] == "failed" for r in results)
    n_skipped = sum(r["status"] == "skipped" for r in results)
    reused = (
        f", {n_skipped} skipped (complete from an earlier run with the same inputs)"
        if n_skipped
        else ""
    )
    synthetic = any(
        (m.get("innovation") or {}).get("synthetic") or (m.get("segments") or {}).get("synthetic")
        for m in metrics.values()
    )
    csv_link = _write_csv(out, metrics, regions)
    banner = (
        f'<p class="banner"><b>{e(SYNTHETIC_LABEL)}</b> Innovation and segments: '
        f"{e(SYNTHETIC_SURVEY)}</p>"
        if synthetic
        else ""
    )
    figure = (
        f'<figure><img src="{e(map_png)}" alt="Map of the cluster location quotient of each '
        f'region in this batch" width="640"><figcaption>Colour: the cluster\'s location quotient '
        "against the regions of the same country: red above 1 (more concentrated than the "
        "national average), white at 1, blue below 1; the colour bar gives the scale. Grey: "
        "regions without a value (not in this batch, or no data)."
        + (
            " Black outline: the members of a cluster area of the batch."
            if any(not is_nuts_code(r) for r in regions)
            else ""
        )
        + "</figcaption></figure>"
        if map_png
        else ""
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>clusterlib reports: {e(cluster)} {e(str(year))}</title>
<style>body{{font-family:sans-serif;margin:2em auto;max-width:75em;padding:0 1em}}
table{{border-collapse:collapse;width:100%;font-size:0.9em}}td,th{{border-bottom:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}
td.num{{text-align:right;white-space:nowrap}}td:last-child{{min-width:12em}}.failed{{color:#b00;font-weight:bold}}
.banner{{background:#fff3cd;padding:8px}}figcaption{{font-size:0.9em;color:#444;max-width:640px}}</style></head><body>
<h1>Regional cluster reports: {e(cluster)}</h1>
<p>Cluster <b>{e(cluster)}</b> ({e(codes)}), year <b>{e(str(year))}</b>. Location quotients (LQ)
compare each region with the other NUTS2 regions of its country (national reference; the EU column
uses all EU regions in the data); stars follow the European Cluster Observatory against all
European NUTS2 regions (size, specialisation, focus; in brackets the Panorama's productivity and
dynamism stars); growth is the cluster's compound annual employment growth over the years with
data, against Europe's; economic complexity is the region's ECI from employment in NACE divisions
(standardised over European regions). {len(regions)} regions, {len(results)} runs, {n_failed} failed{reused}.</p>
{banner}
{figure}
<table><tr><th>Region</th><th>Name</th><th>Cluster employment (persons)</th><th>Cluster LQ (95% CI)</th>
<th>LQ, EU reference</th><th>Stars across Europe (0–3, +performance 0–2)</th><th>Employment growth a year</th><th>Product innovators</th><th>Segments</th><th>Economic complexity (rank in Europe)</th><th>Reports and data</th></tr>
{"".join(rows)}
</table>
<p>{csv_link}</p>
<p><small>Source: Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31; firm survey. Boundaries: GUGiK PRG via polska-geojson (MIT); © EuroGeographics.</small></p>
</body></html>
"""
    return write_atomic(out / "index.html", page)


def _region_links(out: Path, reg: str, runs: list[dict]) -> list[str]:
    """Return the index's links of one region or area: reports, notebooks, brief, data."""
    e = html.escape
    links = []
    for r in runs:
        nb = e(r["notebook"])
        if r["status"] in ("ok", "skipped"):
            links.append(
                f'<a href="{e(reg)}/{nb}.html">{nb.split("_", 1)[1].replace("_", " ")}</a> '
                f'<small>(<a href="{e(reg)}/{nb}.ipynb">notebook</a>)</small>'
            )
        else:
            partial = (
                f' (<a href="{e(reg)}/{nb}.failed.ipynb">partial notebook</a>)'
                if f"{r['notebook']}.failed.ipynb" in r.get("files", [])
                else ""
            )
            links.append(
                f'<span class="failed">FAILED</span> {nb}: '
                f"<code>{e(r.get('error', ''))[:400]}</code>{partial}"
            )
    if not is_nuts_code(reg):  # a cluster area: its members, beside its links
        from clusterlib.reference.areas import unit_regions

        links.insert(0, f"<small>cluster area of {e(' + '.join(unit_regions(reg)))}</small>")
    if (out / reg / "brief.html").exists():
        links.append(f'<b><a href="{e(reg)}/brief.html">strategy brief</a></b>')
    if (out / reg / "brief_pl.html").exists():
        links.append(f'<b><a href="{e(reg)}/brief_pl.html" hreflang="pl">brief (polski)</a></b>')
    if (out / reg / "metrics.json").exists():
        links.append(f'<small><a href="{e(reg)}/metrics.json">data (JSON)</a></small>')
    xlsx = out / reg / "exports" / f"{reg}_tables.xlsx"
    if xlsx.exists():
        links.append(
            f'<small><a href="{e(reg)}/exports/{e(xlsx.name)}">tables (XLSX)</a>, '
            f'<a href="{e(reg)}/exports/">CSV</a></small>'
        )
    return links


def _region_row(reg: str, name: str, m: dict, links: list[str]) -> str:
    """Return the index's table row of one region or area from its collected metrics."""
    e = html.escape
    spec, inn, seg = m.get("specialisation", {}), m.get("innovation", {}), m.get("segments", {})
    rel = m.get("relatedness", {})
    lq = spec.get("lq") or {}
    eu = spec.get("eu_lq") or {}
    rate = inn.get("innovation_rate") or {}
    ci = (
        f" <small>({_fmt(lq.get('low'), '.2f')}–{_fmt(lq.get('high'), '.2f')})</small>"
        if lq.get("low") is not None
        else ""
    )
    return (
        "<tr>"
        f"<td>{e(reg)}</td><td>{e(name)}</td>"
        f"<td class=num>{_fmt((spec.get('employment') or {}).get('value'), ',.0f')}</td>"
        f"<td class=num>{_fmt(lq.get('value'), '.2f')}{ci}</td>"
        f"<td class=num>{_fmt(eu.get('value'), '.2f')}</td>"
        f"<td class=num>{_fmt(spec.get('eu_stars'), 'd')}"
        f"<small> (+{_fmt(spec.get('eu_performance_stars'), 'd')})</small></td>"
        f"<td class=num>{_fmt((spec.get('growth_region') or {}).get('value'), '+.1%')}"
        f"<small> (EU {_fmt((spec.get('growth_eu') or {}).get('value'), '+.1%')})</small></td>"
        f"<td class=num>{_fmt(rate.get('value'), '.1%')}</td>"
        f"<td class=num>{_fmt(seg.get('n_segments'), 'd')}</td>"
        f"<td class=num>{_fmt((rel.get('eci') or {}).get('value'), '+.2f')}"
        f"<small> ({_fmt(rel.get('eci_rank_eu'), 'd')} of {_fmt(rel.get('n_eu'), 'd')})</small></td>"
        f"<td>{'<br>'.join(links)}</td></tr>"
    )


def _write_csv(out: Path, metrics: dict, regions: dict) -> str:
    """Write ``headline.csv`` (one row per region) and return its link."""
    from clusterlib.io.export import csv_rows
    from clusterlib.io.files import write_atomic

    rows = []
    rows.append(["region", "name", "cluster", "year", "employment", "lq", "lq_low", "lq_high",
                "eu_lq", "eu_stars", "eu_performance_stars", "growth_region", "growth_eu",
                "innovation_rate", "n_segments", "synthetic_survey", "eci", "eci_rank_eu"])  # fmt: skip
    for reg, runs in regions.items():
        m = metrics[reg]
        spec, inn, seg = m.get("specialisation", {}), m.get("innovation", {}), m.get("segments", {})
        rel = m.get("relatedness", {})
        lq = spec.get("lq") or {}
        rows.append(
            [reg, _region_name(reg, runs), spec.get("cluster", ""), spec.get("year", ""),
             (spec.get("employment") or {}).get("value"), lq.get("value"), lq.get("low"),
             lq.get("high"), (spec.get("eu_lq") or {}).get("value"), spec.get("eu_stars"),
             spec.get("eu_performance_stars"), (spec.get("growth_region") or {}).get("value"),
             (spec.get("growth_eu") or {}).get("value"),
             (inn.get("innovation_rate") or {}).get("value"), seg.get("n_segments"),
             inn.get("synthetic", ""), (rel.get("eci") or {}).get("value"), rel.get("eci_rank_eu")]
        )  # fmt: skip
    write_atomic(out / "headline.csv", csv_rows(rows))
    return '<a href="headline.csv">Headline numbers of every region (CSV)</a>'


def write_manifest(
    out: Path,
    results: list[dict],
    hashes: dict[str, str],
    *,
    digests: dict,
    files: dict | None = None,
) -> Path:
    """Write ``manifest.json``: version, git commit, parameters, input and output hashes.

    Besides the batch's common inputs (``inputs``), each run lists the files its own parameters
    name (``parameter_files``: e.g. a ``data_path`` given in a region's params file) with their
    SHA-256: ``files``, keyed like ``digests`` by (region, notebook), as hashed for the run's
    input hash when the batch started.
    """
    from clusterlib import __version__
    from clusterlib.io.files import file_sha256 as sha256_file
    from clusterlib.io.files import write_atomic

    runs = []
    for r in results:
        rdir = out / r["region"]
        runs.append(
            {
                "region": r["region"],
                "notebook": r["notebook"],
                "status": r["status"],
                "error": r.get("error", ""),
                "parameters": r["parameters"],
                "input_hash": digests.get((r["region"], r["notebook"])),
                "parameter_files": (files or {}).get((r["region"], r["notebook"]), {}),
                "outputs": {
                    f: sha256_file(rdir / f) for f in r.get("files", []) if (rdir / f).exists()
                },
            }
        )
    manifest = {
        "clusterlib_version": __version__,
        "git_commit": _git_commit(),
        "inputs": hashes,
        "runs": runs,
    }
    return write_atomic(
        out / "manifest.json",
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
