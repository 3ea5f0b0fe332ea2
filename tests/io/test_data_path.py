"""A team's own Eurostat file: CLUSTERLIB_EUROSTAT, config.using_data and 'clusterlib run --data'."""

from __future__ import annotations

import gzip
import os
import shutil

import pytest

from clusterlib import config
from clusterlib.batch.report import data_hashes
from clusterlib.cli import main
from clusterlib.io.files import file_sha256


def test_using_data_points_every_reader_at_the_file_and_restores(tmp_path, monkeypatch):
    monkeypatch.delenv("CLUSTERLIB_EUROSTAT", raising=False)
    bundled = config.eurostat_path()
    assert bundled == config.raw_dir() / config.EUROSTAT_FILE
    own = tmp_path / "sbs.tsv.gz"
    with config.using_data(own):
        assert config.eurostat_path() == own.resolve()
        assert os.environ["CLUSTERLIB_EUROSTAT"] == str(own.resolve())
        with config.using_data(""):  # an empty notebook parameter changes nothing
            assert config.eurostat_path() == own.resolve()
    assert "CLUSTERLIB_EUROSTAT" not in os.environ and config.eurostat_path() == bundled


def test_the_run_input_hashes_cover_a_given_data_file(tmp_path, monkeypatch):
    own = tmp_path / "mine.tsv.gz"
    with gzip.open(own, "wt", encoding="utf-8") as f:
        f.write("indic_sb,nace_r2,geo\\time\t2014 \nV16110,C28,PL34\t4120 \n")
    monkeypatch.setenv("CLUSTERLIB_EUROSTAT", str(own))
    hashes = data_hashes()
    assert hashes[str(own.resolve())] == file_sha256(own)
    own.write_bytes(own.read_bytes() + b"\n")  # another file, another hash
    assert data_hashes()[str(own.resolve())] != hashes[str(own.resolve())]


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_run_data_must_be_a_file(tmp_path, capsys, kind):
    target = tmp_path / "nothing.tsv" if kind == "missing" else tmp_path
    code = main(["run", "--regions", "PL22", "--data", str(target), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and f"--data: {str(target)!r} is" in err
    assert ("no such file" if kind == "missing" else "a folder") in err
    assert not (tmp_path / "o").exists()


def test_run_data_that_is_not_a_eurostat_file_fails_before_any_kernel(tmp_path, capsys):
    bad = tmp_path / "notes.tsv"
    bad.write_text("hello\tworld\n", encoding="utf-8")
    code = main(["run", "--regions", "PL22", "--data", str(bad), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "notes.tsv" in err
    assert not (tmp_path / "o").exists()
    shutil.rmtree(tmp_path / "o", ignore_errors=True)
