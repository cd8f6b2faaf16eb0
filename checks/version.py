"""The course's version, declared once: ``version`` in pyproject.toml's ``[project]`` table.

Installed (``make setup`` installs the repository editable) it comes from the package metadata; where
the course is used without installing it (a Gradescope zip, a copied folder), from the pyproject.toml
beside the ``checks`` package.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

DISTRIBUTION = "embedding-matrix-course"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def installed_version() -> str | None:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def source_version() -> str | None:
    try:
        project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return project.get("version") if project.get("name") == DISTRIBUTION else None


def version_problem() -> str | None:
    """When the installed course is older or newer than the files beside it (pulled, not re-set-up)."""
    installed, source = installed_version(), source_version()
    if installed and source and installed != source:
        return f"the course's environment was set up for version {installed}, these files are version {source}"
    return None


__version__ = installed_version() or source_version() or "unknown"
