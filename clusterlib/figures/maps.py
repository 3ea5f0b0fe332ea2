"""Choropleth maps from the bundled boundaries (voivodeships for Poland, GISCO NUTS2 for Europe)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from shapely import MultiPolygon, Polygon, get_parts
from shapely.validation import make_valid

from clusterlib import config
from clusterlib.figures.charts import _finish
from clusterlib.reference.nuts import pl_voivodeships, region_countries

#: Credit lines of the bundled boundary files (``data/raw/SOURCES.md``): the voivodeships, and
#: GISCO's NUTS regions and countries. A map credits the files it draws.
PL_CREDIT = "Boundaries: GUGiK PRG via polska-geojson (MIT)"
GISCO_CREDIT = "© EuroGeographics for the administrative boundaries"
BOUNDARY_CREDIT = f"{PL_CREDIT}; {GISCO_CREDIT}"


def boundary_credit(*, country: str | None = None, europe: bool = False) -> str:
    """Return the credit line of the boundaries a choropleth draws.

    >>> boundary_credit(country="PL"), boundary_credit(country="DE") == GISCO_CREDIT
    ('Boundaries: GUGiK PRG via polska-geojson (MIT)', True)
    """
    return PL_CREDIT if country == "PL" and not europe else GISCO_CREDIT


def _polygonal(geom):
    """Repair an invalid shape and keep only its polygons.

    ``make_valid`` can return a GeometryCollection of polygons and stray lines (three
    voivodeships and EL63/TR10 in the bundled files); lines have no area and no boundary to draw.
    """
    geom = make_valid(geom)
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polys = [p for p in get_parts(geom) if isinstance(p, Polygon | MultiPolygon)]
    parts = [q for p in polys for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


@contextmanager
def _no_idle_draw(fig: Figure) -> Iterator[None]:
    """Skip the full redraw geopandas asks for after every layer (``canvas.draw_idle``).

    A figure that is rendered once, to PNG, needs none of them; each costs a complete render of
    every polygon and label drawn so far. The PNG is the same to the byte.
    """
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        del fig.canvas.draw_idle


@cache
def _read(name: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(config.raw_dir() / name)
    gdf["geometry"] = gdf.geometry.map(_polygonal)
    return gdf


def region_shapes(country: str | None = None) -> gpd.GeoDataFrame:
    """NUTS2 shapes indexed by NUTS code: the voivodeships for ``"PL"``, else GISCO NUTS 2013."""
    if country == "PL":
        pl = _read(config.PL_BOUNDARIES_FILE)
        codes = pl_voivodeships().reset_index().set_index("nazwa")["code"]
        out = pl.assign(code=pl["nazwa"].map(codes)).set_index("code")
        return out[["geometry"]]
    gdf = _read(config.NUTS2_BOUNDARIES_FILE).set_index("id")[["geometry"]]
    return gdf if country is None else gdf[region_countries(gdf.index) == country]


def choropleth(
    values: pd.Series,
    *,
    country: str | None = None,
    focal: str | Sequence[str] | None = None,
    title: str = "",
    legend: str = "",
    source: str | None = None,
    cmap: str = "RdBu_r",
    center: float | None = 1.0,
    europe: bool = False,
) -> Figure:
    """Choropleth of a value per NUTS2 region, with the focal region outlined.

    Parameters
    ----------
    values : pandas.Series
        Indexed by NUTS2 code.
    country : str, optional
        ``"PL"`` draws the bundled voivodeships; another code its GISCO regions.
    focal : str or sequence of str, optional
        Region outlined in black (several: the members of a cluster area).
    europe : bool
        Draw all GISCO NUTS2 regions over the country outlines, clipped to continental Europe.
    center : float, optional
        Value at the middle of the diverging colour map (1 for LQs); None for a sequential scale.

    Returns
    -------
    matplotlib.figure.Figure
        Regions without a value are grey ("no data").
    """
    shapes = region_shapes(None if europe else country)
    gdf = shapes.join(values.rename("value"), how="left")
    fig, ax = plt.subplots(figsize=(9, 8) if europe else (7, 7))
    norm = None
    if center is None and gdf["value"].notna().any():
        from matplotlib.colors import Normalize

        # an explicit scale: without it the colour bar reads 0-1 whatever the values
        norm = Normalize(vmin=gdf["value"].min(), vmax=gdf["value"].max())
    if center is not None and gdf["value"].notna().any():
        from matplotlib.colors import TwoSlopeNorm

        lo, hi = gdf["value"].min(), gdf["value"].max()
        norm = TwoSlopeNorm(
            vcenter=center, vmin=min(lo, center * 0.99), vmax=max(hi, center * 1.01)
        )
    with _no_idle_draw(fig):
        if europe:
            _read(config.COUNTRY_BOUNDARIES_FILE).plot(
                ax=ax, color="#eeeeee", edgecolor="white", lw=0.3
            )
        gdf.plot(
            column="value",
            ax=ax,
            cmap=cmap,
            norm=norm,
            legend=True,
            edgecolor="white",
            lw=0.3,
            missing_kwds={"color": "lightgrey", "label": "no data"},
            legend_kwds={"label": legend, "shrink": 0.6},
        )
        outlined = [
            f for f in ([focal] if isinstance(focal, str) else focal or []) if f in gdf.index
        ]
        if outlined:
            gdf.loc[outlined].boundary.plot(ax=ax, color="black", lw=2)
    if europe:
        ax.set_xlim(-25, 45)
        ax.set_ylim(34, 72)
    ax.set_axis_off()
    ax.set_title(title)
    # the note goes under the map itself (its axis is off), not at the foot of the figure: the
    # map keeps its aspect, so the figure has empty space below it, which the tight crop removes
    credit = boundary_credit(country=country, europe=europe)
    return _finish(fig, "; ".join(s for s in (source, credit) if s))


def index_map(out, metrics: dict) -> str | None:
    """Draw the batch index's map of the cluster LQ into ``out/index_map.png``; return its name.

    ``metrics`` maps each region to its ``metrics.json`` content. Regions without a value are
    grey. A cluster area of the batch (e.g. PL-NE) is drawn as the outline of its members; its
    members take the area's value only when they are not in the batch themselves. Used by
    ``clusterlib run`` through ``write_index(..., index_figure=index_map)``.
    """
    from pathlib import Path

    from clusterlib.reference.areas import unit_regions
    from clusterlib.reference.nuts import is_nuts_code, region_country

    values = pd.Series(
        {
            r: ((m.get("specialisation") or {}).get("lq") or {}).get("value")
            for r, m in metrics.items()
        },
        dtype=float,
    )
    lq = values[[is_nuts_code(r) for r in values.index]].dropna()
    outlined: list[str] = []
    for area in (r for r in values.index if not is_nuts_code(r)):
        members = list(unit_regions(area))
        outlined += members
        fill = pd.Series(values[area], index=[m for m in members if m not in metrics])
        lq = pd.concat([lq, fill.dropna()])
    if lq.empty:
        return None
    countries = {region_country(r) for r in lq.index}
    one = next(iter(countries)) if len(countries) == 1 else None
    fig = choropleth(
        lq,
        country=one,
        europe=one is None,
        focal=outlined or None,
        legend="cluster location quotient (national reference)",
        title="Cluster location quotient by region",
    )
    out = Path(out)
    tmp = out / ".index_map.png.tmp"
    fig.savefig(tmp, dpi=90, format="png", metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(out / "index_map.png")
    return "index_map.png"
