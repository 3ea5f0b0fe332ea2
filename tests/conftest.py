import pytest

from clusterlib import config, read_eurostat_tsv


@pytest.fixture(scope="session")
def eurostat():
    """The full bundled Eurostat file, read once per test session."""
    return read_eurostat_tsv(config.eurostat_path())
