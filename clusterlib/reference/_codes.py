"""Shared helper: check requested codes against a known set and say what is wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from clusterlib.errors import UnknownCodeError


def check_codes(codes: Iterable[str], known: Iterable[str], *, kind: str, hint: str) -> list[str]:
    """Return ``codes`` as a list, or raise :class:`UnknownCodeError` naming each unknown code."""
    codes = [codes] if isinstance(codes, str) else list(codes)
    known = set(known)
    unknown = [c for c in codes if c not in known]
    if unknown:
        tips = []
        for c in unknown:
            close = difflib.get_close_matches(str(c), sorted(known), n=3)
            tips.append(f"{c!r}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        raise UnknownCodeError(f"unknown {kind} code(s): {'; '.join(tips)}. {hint}")
    return codes
