"""Download a current Eurostat dataset into the data cache (``clusterlib fetch DATASET``).

**Route: Eurostat's dissemination API directly, not the ``eurostat`` PyPI package.** The API's
SDMX 2.1 data endpoint returns a whole dataset as the gzip-compressed bulk TSV
(``{base}/sdmx/2.1/data/{DATASET}?format=TSV&compressed=true``, documented in Eurostat's *API
SDMX 2.1 - data query*; R's ``eurostat`` package reads the same endpoint). That file is exactly
what :func:`~clusterlib.read_eurostat_tsv` reads, so the download is kept as it came, hashed, and
parsed by the one strict reader. The ``eurostat`` package would parse the data itself into its own
frame (its own handling of flags and missing cells, none of our errors), leave no file to hash or
re-read offline, and add a dependency for one HTTP GET that the standard library does. The
endpoint takes no prefix filter on ``geo`` (SDMX keys are exact codes at fixed positions), so
``geo="PL"`` keeps the rows of Poland and its regions after the download.

Each download is checked before it is kept: the byte count against ``Content-Length``, the gzip
stream to its end, and the TSV through :func:`~clusterlib.read_eurostat_tsv`. It is written
atomically (:func:`~clusterlib.io.files.write_atomic`) with a record beside it: the dataset, the
address, the filter, the UTC time of the download and the SHA-256 of the file. The base address
can be pointed elsewhere with ``CLUSTERLIB_EUROSTAT_API`` (a mirror, or the tests' local server).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import http.client
import json
import os
import re
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from clusterlib.errors import ClusterlibError, DownloadError, OptionError
from clusterlib.io.cache import cache_dir
from clusterlib.io.eurostat import read_eurostat_tsv
from clusterlib.io.files import file_sha256, write_atomic

API = "https://ec.europa.eu/eurostat/api/dissemination"
_DATASET = re.compile(r"^[a-z][a-z0-9_]*$")
_GEO = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


def dataset_url(dataset: str, *, base: str | None = None) -> str:
    """Return the API address of a dataset's compressed bulk TSV."""
    base = (base or os.environ.get("CLUSTERLIB_EUROSTAT_API") or API).rstrip("/")
    return f"{base}/sdmx/2.1/data/{dataset}?format=TSV&compressed=true"


def fetch_eurostat(
    dataset: str,
    *,
    geo: str | None = None,
    folder: str | Path | None = None,
    base: str | None = None,
    timeout: float = 60.0,
) -> Path:
    """Download a Eurostat dataset as a bulk TSV into the data cache; return the file's path.

    Parameters
    ----------
    dataset : str
        Eurostat's dataset code, e.g. ``"nama_10r_2gdp"`` or ``"sbs_r_nuts2021"``.
    geo : str, optional
        Keep only the rows whose ``geo`` code starts with this NUTS code, e.g. ``"PL"`` for
        Poland and its regions.
    folder : str or Path, optional
        Default: ``<data cache>/eurostat`` (``CLUSTERLIB_CACHE`` or ``data/cache``).
    base : str, optional
        The API's base address; default ``CLUSTERLIB_EUROSTAT_API`` or Eurostat's.
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    pathlib.Path
        ``<folder>/<dataset>[_<geo>].tsv.gz``, with ``<same name>.json`` beside it: ``dataset``,
        ``url``, ``geo``, ``downloaded`` (UTC, ISO 8601), ``sha256`` (of the file written),
        ``download_sha256`` (of the bytes received) and ``rows``.

    Raises
    ------
    DownloadError
        The server cannot be reached (offline), answers with an error, or sends an incomplete or
        unreadable file. Nothing is written then.
    OptionError
        A dataset or geo code of the wrong form.

    Examples
    --------
    >>> dataset_url("nama_10r_2gdp", base="https://example.org/api")
    'https://example.org/api/sdmx/2.1/data/nama_10r_2gdp?format=TSV&compressed=true'
    """
    if not _DATASET.match(dataset):
        raise OptionError(
            f"dataset {dataset!r}: expected a Eurostat dataset code such as 'nama_10r_2gdp' "
            "(lower-case letters, digits and '_')."
        )
    if geo is not None and not _GEO.match(geo):
        raise OptionError(f"geo {geo!r}: expected a NUTS code such as 'PL' or 'PL22'.")
    url = dataset_url(dataset, base=base)
    body = _download(url, timeout=timeout)
    try:
        text = gzip.decompress(body).decode("utf-8")
    except (EOFError, OSError, zlib.error, UnicodeDecodeError) as exc:
        raise DownloadError(
            f"{url}: the download is incomplete or damaged ({exc}); nothing was written. "
            "Run the command again."
        ) from None
    if geo is not None:
        text = _keep_geo(text, geo)
    folder = Path(folder) if folder is not None else cache_dir() / "eurostat"
    path = folder / f"{dataset}{'_' + geo if geo else ''}.tsv.gz"
    data = gzip.compress(text.encode("utf-8"), mtime=0)  # the same rows give the same bytes
    tmp = write_atomic(folder / f".{path.name}.check.tsv.gz", data)
    try:
        read_eurostat_tsv(tmp)
    except ClusterlibError as exc:
        raise DownloadError(
            f"{url}: the server sent a file that is not a Eurostat TSV: {exc}"
        ) from None
    finally:
        tmp.unlink()
    write_atomic(path, data)
    record = {
        "dataset": dataset,
        "url": url,
        "geo": geo,
        "downloaded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sha256": file_sha256(path),
        "download_sha256": hashlib.sha256(body).hexdigest(),
        "rows": text.count("\n") - 1,
    }
    write_atomic(path.with_name(path.name.removesuffix(".tsv.gz") + ".json"),
                 json.dumps(record, indent=2) + "\n")  # fmt: skip
    return path


def _download(url: str, *, timeout: float) -> bytes:
    """GET ``url``; every failure is a one-line :class:`DownloadError`.

    A body shorter than its ``Content-Length`` is caught by :mod:`http.client` itself
    (``IncompleteRead``).
    """
    request = urllib.request.Request(url, headers={"User-Agent": "clusterlib"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise DownloadError(
            f"{url}: the server answered {exc.code} {exc.reason}. Check the dataset code on "
            "Eurostat's data browser."
        ) from None
    except http.client.IncompleteRead as exc:
        raise DownloadError(
            f"{url}: truncated download ({len(exc.partial):,} of {exc.expected + len(exc.partial):,}"
            " bytes); nothing was written. Run the command again."
        ) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(
            f"cannot reach {url.split('/sdmx/')[0]} ({reason}): this machine seems to be "
            "offline. The bundled files in data/raw/ still work; fetch again when online."
        ) from None


def _keep_geo(text: str, geo: str) -> str:
    """Keep the header and the rows whose geo code starts with ``geo``."""
    lines = text.splitlines()
    dims = lines[0].split("\t")[0].split("\\")[0].split(",")
    if "geo" not in dims:
        raise DownloadError(f"the downloaded file has no geo dimension ({lines[0][:60]!r}).")
    k = dims.index("geo")
    kept = [ln for ln in lines[1:] if ln.split("\t")[0].split(",")[k].startswith(geo)]
    if not kept:
        raise DownloadError(f"the dataset holds no rows for geo {geo!r}; nothing was written.")
    return "\n".join([lines[0], *kept]) + "\n"
