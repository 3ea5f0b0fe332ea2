"""Helpers the notebooks call: display, the synthetic banner, headline metrics for the batch runner."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from matplotlib.figure import Figure

from clusterlib.io.files import write_atomic

METRICS_FILE = "metrics.json"


def show(fig: Figure) -> None:
    """Display a figure once and close it (no duplicate output, no open-figure warnings)."""
    display(fig)
    plt.close(fig)


def show_table(df: pd.DataFrame | pd.Series, *, digits: int = 3) -> None:
    """Display a table rounded for reading (and for stable notebook outputs)."""
    display(df.round(digits) if hasattr(df, "round") else df)


def markdown(text: str) -> None:
    """Display generated Markdown (e.g. key findings)."""
    display(Markdown(text))


def synthetic_banner(synthetic: bool) -> None:
    """Display a visible warning when the data are the synthetic survey."""
    if synthetic:
        from clusterlib.innovation.report import SYNTHETIC_BANNER

        markdown(f"> **⚠ SYNTHETIC DATA.** {SYNTHETIC_BANNER}")


def _clean(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def write_metrics(metrics: dict, output_dir: str | Path | None, *, notebook: str) -> Path | None:
    """Merge a notebook's headline numbers into ``<output_dir>/metrics.json`` (atomically).

    Does nothing when ``output_dir`` is empty (interactive use). Each notebook writes its own
    section, e.g. ``{"specialisation": {"cluster_lq": 1.46, ...}}``; NaN is written as null.
    """
    if not output_dir:
        return None
    path = Path(output_dir) / METRICS_FILE
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current[notebook] = {k: _clean(v) for k, v in metrics.items()}
    return write_atomic(
        path, json.dumps(current, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
