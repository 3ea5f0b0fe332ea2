"""The ``clusterlib`` command: ``main`` parses the arguments and runs a subcommand.

The options are in :mod:`clusterlib.cli.parser`, the subcommands in :mod:`clusterlib.cli.commands`;
every :class:`~clusterlib.errors.ClusterlibError` becomes a one-line message and exit code 2.
"""

from __future__ import annotations

import signal
import sys

from clusterlib.cli import commands
from clusterlib.cli.commands import _fail
from clusterlib.cli.parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``clusterlib`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from clusterlib.errors import ClusterlibError

    run = {"run": commands._run, "summary": commands._summary, "survey": commands._survey,
           "params": commands._params, "evidence": commands._evidence,
           "fetch": commands._fetch}  # fmt: skip
    try:
        return run[args.command](args)
    except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM during a batch (kernels shut down)
        print(
            f"clusterlib: {exc or 'stopped by SIGINT'}; its kernels were shut down.",
            file=sys.stderr,
        )
        return 128 + getattr(exc, "signum", signal.SIGINT)
    except ClusterlibError as exc:
        return _fail(exc)
    except OSError as exc:  # a file system problem not caught closer to its source
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
