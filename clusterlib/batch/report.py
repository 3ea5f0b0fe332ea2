"""Reports of a batch: HTML renderings, the index of all regions, and the manifest."""

from __future__ import annotations

import html
import json
import subprocess
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from clusterlib import config
from clusterlib.batch.params import Job


def render_html(notebook: Path, job: Job) -> str:
    """Render an executed notebook to HTML with the code hidden and the parameters visible.

    The parameters (papermill's injected cell) are shown as an escaped table at the top, since
    hiding the code would otherwise hide them too.
    """
    nb = nbformat.read(notebook, as_version=4)
    rows = "".join(
        f"<tr><td><code>{html.escape(str(k))}</code></td><td><code>{html.escape(repr(v))}</code></td></tr>"
        for k, v in job.parameters.items()
    )
    header = nbformat.v4.new_markdown_cell(
        f"<p><b>Run parameters</b> ({html.escape(job.region)} {html.escape(job.name)}, "
        f"{html.escape(job.notebook)})</p><table>{rows}</table>"
    )
    nb.cells.insert(0, header)
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb)
    return body


def data_hashes() -> dict[str, str]:
    """SHA-256 of every input: raw data, the survey, params/ and the notebooks."""
    from clusterlib.io.files import file_sha256 as sha256_file

    paths = sorted(config.raw_dir().glob("*")) + sorted(config.survey_dir().glob("*"))
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


def write_index(out: Path, results: list[dict]) -> Path:
    """Write ``index.html``: every region with its runs' status, headline metrics and links, a map."""
    from clusterlib.io.files import write_atomic

    regions: dict[str, list[dict]] = {}
    for r in results:
        regions.setdefault(r["region"], []).append(r)
    metrics = {reg: collect_metrics(out, reg) for reg in regions}
    map_png = _index_map(out, metrics)
    rows = []
    for reg, runs in regions.items():
        m = metrics[reg]
        spec, inn, seg = m.get("specialisation", {}), m.get("innovation", {}), m.get("segments", {})
        name = runs[0].get("name") or spec.get("region_name") or ""
        cells = []
        for r in runs:
            nb = html.escape(r["notebook"])
            status = html.escape(r["status"])
            if r["status"] in ("ok", "skipped"):
                link = (
                    f'<a href="{html.escape(reg)}/{nb}.html">{nb}</a> '
                    f'(<a href="{html.escape(reg)}/{nb}.ipynb">ipynb</a>)'
                )
                cells.append(f'<span class="ok">{status}</span> {link}')
            else:
                link = (
                    f'<a href="{html.escape(reg)}/{nb}.failed.ipynb">partial notebook</a>'
                    if f"{r['notebook']}.failed.ipynb" in r.get("files", [])
                    else "no output"
                )
                cells.append(
                    f'<span class="failed">FAILED</span> {nb}: '
                    f"<code>{html.escape(r.get('error', ''))[:400]}</code> ({link})"
                )
        rows.append(
            "<tr>"
            f"<td>{html.escape(reg)}</td><td>{html.escape(name)}</td>"
            f"<td>{_fmt(spec.get('cluster_lq'), '.2f')}</td><td>{_fmt(spec.get('stars'), 'd')}</td>"
            f"<td>{_fmt(inn.get('innovation_rate'), '.1%')}</td><td>{_fmt(seg.get('n_segments'), 'd')}</td>"
            f"<td>{'<br>'.join(cells)}</td></tr>"
        )
    n_failed = sum(r["status"] == "failed" for r in results)
    synthetic = any(m.get("innovation", {}).get("synthetic") for m in metrics.values())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>clusterlib reports</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}.ok{{color:green}}
.failed{{color:#b00;font-weight:bold}}.banner{{background:#fff3cd;padding:8px}}</style></head><body>
<h1>Regional cluster reports</h1>
<p>{len(regions)} regions, {len(results)} runs, {n_failed} failed.</p>
{'<p class="banner"><b>Synthetic survey:</b> the innovation and segment results come from a synthetic survey generated by clusterlib, not from real firms.</p>' if synthetic else ""}
{f'<img src="{html.escape(map_png)}" alt="Cluster location quotient by region" width="600">' if map_png else ""}
<table><tr><th>region</th><th>name</th><th>cluster LQ</th><th>stars</th><th>innovation rate</th>
<th>segments</th><th>runs</th></tr>
{"".join(rows)}
</table>
<p><small>Source: Eurostat (sbs_r_nuts06_r2), extracted 2017-07-31. Boundaries: GUGiK PRG via polska-geojson (MIT); © EuroGeographics.</small></p>
</body></html>
"""
    return write_atomic(out / "index.html", page)


def _index_map(out: Path, metrics: dict) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from clusterlib.figures.maps import choropleth

    lq = pd.Series(
        {
            r: m["specialisation"].get("cluster_lq")
            for r, m in metrics.items()
            if m.get("specialisation")
        },
        dtype=float,
    ).dropna()
    if lq.empty:
        return None
    countries = {r[:2] for r in lq.index}
    only_pl = countries == {"PL"}
    fig = choropleth(
        lq,
        country="PL" if only_pl else None,
        europe=not only_pl,
        legend="cluster location quotient",
        title="Cluster location quotient by region (national reference)",
    )
    tmp = out / ".index_map.png.tmp"
    fig.savefig(tmp, dpi=90, format="png", metadata={"Software": None})
    plt.close(fig)
    tmp.replace(out / "index_map.png")
    return "index_map.png"


def write_manifest(
    out: Path, results: list[dict], hashes: dict[str, str], *, digests: dict
) -> Path:
    """Write ``manifest.json``: version, git commit, parameters, input and output hashes."""
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
