"""Zips written the same way every time: sorted entries, fixed dates, explicit permissions, so the
same sources always give the same bytes (an instructor can tell two releases apart by checksum)."""

from __future__ import annotations

import zipfile
from pathlib import Path

EXECUTABLE = 0o755
REGULAR = 0o644
PRIVATE = 0o600


def write_zip(
    out: Path, files: dict[str, bytes], executable: frozenset = frozenset(), private: frozenset = frozenset()
) -> None:
    """``files`` (name in the zip -> content) into ``out``; names in ``executable`` get mode 755, names
    in ``private`` 600 (the owner's alone)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            mode = EXECUTABLE if name in executable else PRIVATE if name in private else REGULAR
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])


def write_folder(folder: Path, files: dict[str, bytes], executable: frozenset = frozenset()) -> None:
    """The same files into ``folder``, which is emptied first (a stale file must not ride along)."""
    import shutil

    if folder.exists():
        shutil.rmtree(folder)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(EXECUTABLE if name in executable else REGULAR)
