"""clusterlib fetch against a real HTTP server on this machine serving the bundled files.

The server (http.server in a thread) answers the API's address for the dataset nama_10r_2gdp with
the two bundled GDP slices put together and gzipped, as Eurostat's API sends a dataset; other
paths give 404, and two paths misbehave on purpose (a cut body, a cut gzip stream).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from clusterlib import config, read_eurostat_tsv
from clusterlib.cli import main
from clusterlib.errors import DownloadError, OptionError
from clusterlib.io.fetch import dataset_url, fetch_eurostat

FILES = ["nama_10r_2gdp_PL_EUR_HAB.tsv", "nama_10r_2gdp_PL_MIO_EUR.tsv"]


def dataset_text() -> str:
    first, second = ((config.raw_dir() / f).read_text(encoding="utf-8") for f in FILES)
    assert first.split("\n", 1)[0] == second.split("\n", 1)[0]  # the same header
    return first + second.split("\n", 1)[1]


class Handler(BaseHTTPRequestHandler):
    requests: list[str] = []
    agents: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        Handler.requests.append(self.path)
        Handler.agents.append(self.headers.get("User-Agent", ""))
        body = gzip.compress(dataset_text().encode("utf-8"), mtime=0)
        if self.path == "/sdmx/2.1/data/nama_10r_2gdp?format=TSV&compressed=true":
            self._send(body)
        elif self.path.startswith("/sdmx/2.1/data/slow?"):
            time.sleep(1.5)
            self._send(body)
        elif self.path.startswith("/sdmx/2.1/data/no_geo?"):
            self._send(gzip.compress(b"freq,unit\\TIME_PERIOD\t2020 \nA,NR\t1 \n"))
        elif self.path.startswith("/sdmx/2.1/data/cut_body?"):
            self._send(body, length=len(body) * 2)  # says twice what it sends, then closes
        elif self.path.startswith("/sdmx/2.1/data/cut_gzip?"):
            self._send(body[: len(body) // 2])  # a complete response holding half a gzip stream
        elif self.path.startswith("/sdmx/2.1/data/not_tsv?"):
            self._send(gzip.compress(b"<html>maintenance</html>\n"))
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, *, length: int | None = None):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length or len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def test_fetch_writes_the_dataset_with_its_record(server, tmp_path):
    path = fetch_eurostat("nama_10r_2gdp", folder=tmp_path, base=server)
    assert path == tmp_path / "nama_10r_2gdp.tsv.gz"
    assert Handler.requests[-1] == "/sdmx/2.1/data/nama_10r_2gdp?format=TSV&compressed=true"
    got = read_eurostat_tsv(path)
    want = pd.concat([read_eurostat_tsv(config.raw_dir() / f) for f in FILES], ignore_index=True)
    assert len(got) == 2 * 25 * 24
    pd.testing.assert_frame_equal(
        got.astype({"region": str, "unit": str, "flag": str}),
        want.astype({"region": str, "unit": str, "flag": str}),
    )
    record = json.loads((tmp_path / "nama_10r_2gdp.json").read_text())
    assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["url"] == f"{server}/sdmx/2.1/data/nama_10r_2gdp?format=TSV&compressed=true"
    assert record["rows"] == 50 and record["geo"] is None
    assert record["downloaded"][:2] == "20" and record["downloaded"].endswith("+00:00")
    body = gzip.compress(dataset_text().encode("utf-8"), mtime=0)  # what the server sent
    assert record["download_sha256"] == hashlib.sha256(body).hexdigest()
    assert list(record) == ["dataset", "url", "geo", "downloaded", "sha256", "download_sha256",
                            "rows"]  # fmt: skip
    assert record["dataset"] == "nama_10r_2gdp"
    text = (tmp_path / "nama_10r_2gdp.json").read_text()
    assert text.startswith('{\n  "dataset": "nama_10r_2gdp",\n  "url": ') and text.endswith("}\n")
    assert path.read_bytes()[4:8] == b"\0\0\0\0"  # gzip header without a time stamp
    assert Handler.agents[-1] == "clusterlib"
    # the same rows give the same bytes
    again = fetch_eurostat("nama_10r_2gdp", folder=tmp_path / "again", base=server)
    assert again.read_bytes() == path.read_bytes()


def test_fetch_keeps_the_rows_of_a_geo_code(server, tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERLIB_EUROSTAT_API", server)
    monkeypatch.setenv("CLUSTERLIB_CACHE", str(tmp_path))
    path = fetch_eurostat("nama_10r_2gdp", geo="PL8")
    assert path == tmp_path / "eurostat" / "nama_10r_2gdp_PL8.tsv.gz"
    df = read_eurostat_tsv(path)
    assert sorted(df["region"].astype(str).unique()) == ["PL8", "PL81", "PL82", "PL84"]
    assert json.loads(path.with_name("nama_10r_2gdp_PL8.json").read_text())["rows"] == 8


def test_truncated_download_in_full(server, tmp_path):
    size = len(gzip.compress(dataset_text().encode("utf-8"), mtime=0))
    with pytest.raises(DownloadError) as err:
        fetch_eurostat("cut_body", folder=tmp_path, base=server)
    assert str(err.value) == (
        f"{server}/sdmx/2.1/data/cut_body?format=TSV&compressed=true: truncated download "
        f"({size:,} of {2 * size:,} bytes); nothing was written. Run the command again."
    )
    with pytest.raises(DownloadError) as err:
        fetch_eurostat("no_such", folder=tmp_path, base=server)
    assert str(err.value) == (
        f"{server}/sdmx/2.1/data/no_such?format=TSV&compressed=true: the server answered 404 Not "
        "Found. Check the dataset code on Eurostat's data browser."
    )
    with pytest.raises(DownloadError) as err:
        fetch_eurostat("cut_gzip", folder=tmp_path, base=server)
    assert str(err.value).startswith(
        f"{server}/sdmx/2.1/data/cut_gzip?format=TSV&compressed=true: the download is incomplete "
        "or damaged ("
    )
    assert str(err.value).endswith("); nothing was written. Run the command again.")
    with pytest.raises(DownloadError) as err:
        fetch_eurostat("no_geo", geo="PL", folder=tmp_path, base=server)
    assert str(err.value) == (
        "the downloaded file has no geo dimension ('freq,unit\\\\TIME_PERIOD\\t2020 ')."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_slow_server_times_out(server, tmp_path):
    with pytest.raises(DownloadError, match=r"cannot reach http://127\.0\.0\.1:\d+ \(timed out\)"):
        fetch_eurostat("slow", folder=tmp_path, base=server, timeout=0.3)
    assert fetch_eurostat("slow", folder=tmp_path, base=server, timeout=30).exists()


@pytest.mark.parametrize(
    "dataset,pattern",
    [
        (
            "cut_body",
            r"cut_body\?format=TSV&compressed=true: truncated download \([\d,]+ of [\d,]+ bytes\); nothing was written",
        ),
        ("cut_gzip", r"cut_gzip\?.*: the download is incomplete or damaged"),
        ("not_tsv", r"not_tsv\?.*: the server sent a file that is not a Eurostat TSV: .*line 1"),
        ("no_such_dataset", r"no_such_dataset\?.*: the server answered 404 Not Found"),
    ],
)
def test_bad_downloads_write_nothing(server, tmp_path, dataset, pattern):
    with pytest.raises(DownloadError, match=pattern):
        fetch_eurostat(dataset, folder=tmp_path, base=server)
    assert list(tmp_path.iterdir()) == []


def test_geo_without_rows_and_bad_codes(server, tmp_path):
    with pytest.raises(DownloadError, match=r"no rows for geo 'DE'"):
        fetch_eurostat("nama_10r_2gdp", geo="DE", folder=tmp_path, base=server)
    with pytest.raises(OptionError) as err:
        fetch_eurostat("NAMA 10R", folder=tmp_path, base=server)
    assert str(err.value) == (
        "dataset 'NAMA 10R': expected a Eurostat dataset code such as 'nama_10r_2gdp' (lower-case "
        "letters, digits and '_')."
    )
    with pytest.raises(OptionError) as err:
        fetch_eurostat("nama_10r_2gdp", geo="pl", folder=tmp_path, base=server)
    assert str(err.value) == "geo 'pl': expected a NUTS code such as 'PL' or 'PL22'."
    with pytest.raises(DownloadError) as err:
        fetch_eurostat("nama_10r_2gdp", geo="DE", folder=tmp_path, base=server)
    assert str(err.value) == "the dataset holds no rows for geo 'DE'; nothing was written."
    assert list(tmp_path.iterdir()) == []


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def test_offline_is_one_clear_line(tmp_path, capsys, monkeypatch):
    base = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("CLUSTERLIB_EUROSTAT_API", base)
    code = main(["fetch", "nama_10r_2gdp", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(
        f"clusterlib: error: cannot reach {base} ([Errno 111] Connection refused)"
    )
    assert err.endswith(
        "): this machine seems to be offline. The bundled files in data/raw/ still work; fetch "
        "again when online.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_cli_fetch_prints_the_file_and_its_record(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CLUSTERLIB_EUROSTAT_API", server)
    assert main(["fetch", "nama_10r_2gdp", "--geo", "PL", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        str(tmp_path / "nama_10r_2gdp_PL.tsv.gz"),
        str(tmp_path / "nama_10r_2gdp_PL.json"),
    ]


def test_dataset_url_default(monkeypatch):
    monkeypatch.delenv("CLUSTERLIB_EUROSTAT_API", raising=False)
    assert dataset_url("sbs_r_nuts2021") == (
        "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/sbs_r_nuts2021"
        "?format=TSV&compressed=true"
    )
    assert dataset_url("x", base="http://mirror/api//") == (
        "http://mirror/api/sdmx/2.1/data/x?format=TSV&compressed=true"
    )


def test_fetch_as_a_module_command(tmp_path):
    # python -m clusterlib.cli runs main() at the end of the module: every command must exist then
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "clusterlib.cli", "fetch", "BAD CODE", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("clusterlib: error: dataset 'BAD CODE': expected a Eurostat")
