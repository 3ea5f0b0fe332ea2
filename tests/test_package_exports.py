"""The package's public names: every name ``__all__`` lists exists, and ``import *`` works (issue 23)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import clusterlib

PACKAGE = Path(clusterlib.__file__).parent


@pytest.mark.parametrize("name", clusterlib.__all__)
def test_every_listed_name_imports(name):
    value = getattr(clusterlib, name)
    assert value is not None
    if name in clusterlib._SUBMODULES:
        assert value.__name__ == f"clusterlib.{name}"
    elif name in clusterlib._LAZY:
        assert value is getattr(sys.modules[clusterlib._LAZY[name]], name)


def test_every_listed_submodule_is_a_package_or_module_on_disk():
    for name in clusterlib._SUBMODULES:
        assert (PACKAGE / name / "__init__.py").is_file() or (PACKAGE / f"{name}.py").is_file(), (
            name
        )


def test_star_import_in_a_fresh_interpreter():
    # a fresh process: the lazy names must import from scratch, not from this session's modules
    code = (
        "from clusterlib import *\n"
        "import clusterlib\n"
        "missing = [n for n in clusterlib.__all__ if n not in globals()]\n"
        "assert not missing, missing\n"
        "print(len(clusterlib.__all__))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout) == len(clusterlib.__all__)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match=r"module 'clusterlib' has no attribute 'findings'"):
        clusterlib.findings  # noqa: B018 - a removed module, no longer listed
    assert "summary" not in clusterlib.__all__ and "findings" not in clusterlib.__all__
    assert sorted(dir(clusterlib)) == sorted(clusterlib.__all__)
