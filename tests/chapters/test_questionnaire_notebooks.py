"""The example questionnaire end to end through notebooks 02 and 03: import, mapping, weights,
models, segments; and never a synthetic-truth section for a user's file."""

import json

import nbformat
import papermill
import pytest

from clusterlib import config

pytestmark = pytest.mark.slow
EXAMPLE = config.PROJECT_ROOT / "data" / "survey" / "example"


def _run(name, tmp_path, **params):
    out = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(config.notebooks_dir() / f"{name}.ipynb"), str(out), kernel_name="python3",
        progress_bar=False, cwd=str(config.notebooks_dir()), parameters=params,
    )  # fmt: skip
    nb = nbformat.read(out, 4)
    text = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error"
            text += [str(v) for k, v in o.get("data", {}).items() if k.startswith("text/")]
            text += [o.get("text", "")]
    return "\n".join(text)


@pytest.fixture(scope="module")
def params():
    return {  # the example questionnaire is of PL22 firms (the notebooks' default is the area PL-NE)
        "region": "PL22",
        "survey_path": str(EXAMPLE / "ankieta_PL22_SYNTETYCZNA.csv"),
        "mapping_path": str(EXAMPLE / "ankieta_mapping.yaml"),
        "weights": str(EXAMPLE / "ankieta_margins.yaml"),
    }


def test_innovation_notebook_on_the_example_questionnaire(tmp_path, params):
    text = _run("02_innovation_drivers", tmp_path, output_dir=str(tmp_path), **params)
    assert "60 in PL22" in text and "SYNTHETIC" in text
    assert "of the region's firms (weighted)" in text and "design effect" in text
    assert "Firth" in text  # 60 firms, few events per variable: Firth, and the notebook says so
    assert "True coefficients" not in text and "no known truth" in text
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))["innovation"]
    assert metrics["n_firms"] == 60
    assert metrics["weighted_innovation_rate"]["value"] != metrics["innovation_rate"]["value"]
    assert metrics["design_effect"] > 1


def test_segments_notebook_on_the_example_questionnaire(tmp_path, params):
    text = _run("03_firm_segments", tmp_path, output_dir=str(tmp_path), **params)
    assert "Only 60 firms" in text and "k = 2 to 4" in text
    assert "Cooperation gaps by segment" in text
    ids = (tmp_path / "exports" / "segment_firms.csv").read_text(encoding="utf-8").splitlines()
    assert ids[0] == "firm_id,segment,segment_label" and len(ids) == 61
