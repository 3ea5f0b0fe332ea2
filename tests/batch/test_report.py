"""manifest.json lists, per run, the files its own parameters name, with their hashes."""

from __future__ import annotations

import hashlib
import json

from clusterlib.batch.report import write_manifest
from clusterlib.batch.runner import parameter_files


def test_each_run_lists_the_files_its_parameters_name(tmp_path):
    data = tmp_path / "sbs_today.tsv"
    data.write_text("cells\n")
    results = [
        {"region": "PL22", "notebook": "01_specialisation", "status": "ok", "files": [],
         "parameters": {"region": "PL22", "data_path": str(data)}},
        {"region": "PL21", "notebook": "01_specialisation", "status": "ok", "files": [],
         "parameters": {"region": "PL21", "data_path": ""}},
        {"region": "PL12", "notebook": "01_specialisation", "status": "failed", "files": [],
         "parameters": {"region": "PL12", "data_path": str(tmp_path / "gone.tsv")}},
    ]  # fmt: skip
    files = {(r["region"], r["notebook"]): parameter_files(r["parameters"]) for r in results}
    data.write_text("edited after the batch started\n")  # the manifest keeps what was hashed
    write_manifest(tmp_path, results, {"data/raw/x": "0" * 64}, digests={}, files=files)
    runs = json.loads((tmp_path / "manifest.json").read_text())["runs"]
    assert runs[0]["parameter_files"] == {str(data): hashlib.sha256(b"cells\n").hexdigest()}
    assert runs[1]["parameter_files"] == {}  # the bundled file: listed once, under "inputs"
    assert runs[2]["parameter_files"] == {f"data_path:{tmp_path / 'gone.tsv'}": None}
