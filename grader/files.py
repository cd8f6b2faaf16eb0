"""The one way the grader writes a file it owns: whole or not at all, and never through a link.

A file is written beside its final place under a temporary name, then renamed over it, so a reader
(an LMS import, a browser, a second grading run) never sees half of it; a symbolic link someone put
at either name is replaced, never followed.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> Path:
    """Replace ``path`` with ``data``, atomically, never following a link."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
    return path


def write_text(path: Path, text: str) -> Path:
    """Replace ``path`` with ``text`` in UTF-8, as ``write_bytes`` does (line ends as given)."""
    return write_bytes(path, text.encode("utf-8"))
