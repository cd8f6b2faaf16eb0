"""One version, in pyproject.toml: what checks.__version__, CITATION.cff and CHANGELOG.md say agree with it;
the licence and citation metadata are complete."""

from __future__ import annotations

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import yaml

import checks
from checks import version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_checks_carries_the_pyproject_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", PROJECT["version"])
    assert checks.__version__ == PROJECT["version"] == version.source_version()


def test_without_an_installed_package_the_version_is_read_from_pyproject(monkeypatch):
    monkeypatch.setattr(version, "installed_version", lambda: None)
    assert version.source_version() == PROJECT["version"]
    assert version.version_problem() is None


def test_an_environment_set_up_for_another_version_is_named(monkeypatch):
    monkeypatch.setattr(version, "installed_version", lambda: "0.9.0")
    assert version.version_problem() == (
        f"the course's environment was set up for version 0.9.0, these files are version {PROJECT['version']}"
    )


def test_citation_and_changelog_follow_the_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert citation["message"] and citation["title"] and citation["authors"]
    assert citation["version"] == PROJECT["version"]
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}
    assert f"## {PROJECT['version']} - {citation['date-released']}" in (ROOT / "CHANGELOG.md").read_text()


def test_licence_names_both_scopes_and_pyproject_says_so():
    licence = (ROOT / "LICENSE").read_text()
    assert "MIT License" in licence and "Creative Commons Attribution 4.0" in licence
    assert PROJECT["license"] == "MIT AND CC-BY-4.0"
    assert PROJECT["readme"] == "README.md" and PROJECT["authors"]
