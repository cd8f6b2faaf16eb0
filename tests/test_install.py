"""The install works where learners are: the one lock resolves, wheels only, for every supported
(platform, Python) pair, and the Makefile's Python finder picks a supported Python or says in one
sentence what to install.

The resolution check asks PyPI (network) with `pip install --dry-run --target`, so nothing is
installed; all pairs run side by side, 40-60 s on 2 cores, no wheel downloaded whole."""

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

pytestmark = pytest.mark.slow(minutes=3)  # asks PyPI for every platform: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
FINDER = ROOT / "tools" / "find_python.sh"
PYTHONS = ("3.10.0", "3.11.0", "3.12.0", "3.13.0")  # the oldest patch of each supported minor version
# (name, sys_platform, platform_machine, platform_system, pip --platform tags)
MANYLINUX = [f"manylinux_2_{minor}" for minor in range(28, 16, -1)] + ["manylinux2014"]
PLATFORMS = (
    ("linux-x86_64", "linux", "x86_64", "Linux", tuple(f"{tag}_x86_64" for tag in MANYLINUX)),
    ("linux-aarch64", "linux", "aarch64", "Linux", tuple(f"{tag}_aarch64" for tag in MANYLINUX)),
    ("macos-arm64", "darwin", "arm64", "Darwin", ("macosx_12_0_arm64",)),
)
TARGETS = [(platform, python) for platform in PLATFORMS for python in PYTHONS]


def requirement_lines(path: Path, constraints: bool = True) -> list[str]:
    """The requirement lines of a requirements file, following -r (and -c) into the files they name."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.split(" #")[0].strip()
        if line.startswith("-r ") or (constraints and line.startswith("-c ")):
            lines += requirement_lines(path.parent / line[3:].strip(), constraints)
        elif line.startswith("-c "):
            continue
        elif line and not line.startswith("#"):
            lines.append(line)
    return lines


def marker_environment(platform, python: str) -> dict[str, str]:
    _, sys_platform, machine, system, _ = platform
    return {
        "python_version": python.rsplit(".", 1)[0],
        "python_full_version": python,
        "sys_platform": sys_platform,
        "platform_machine": machine,
        "platform_system": system,
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": python,
        "platform_release": "",
        "platform_version": "",
    }


def for_target(platform, python: str) -> list[str]:
    """requirements-test.txt with its lock, markers evaluated for the target. pip evaluates markers for
    the machine it runs on, whatever --platform says, so the target's lines are picked here."""
    env = marker_environment(platform, python)
    picked = []
    for line in requirement_lines(ROOT / "requirements-test.txt"):
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(env):
            picked.append(f"{requirement.name}{requirement.specifier}")
    return picked


def resolve(target, tmp: Path) -> subprocess.CompletedProcess:
    platform, python = target
    folder = tmp / f"{platform[0]}-{python}"
    folder.mkdir()
    requirements = folder / "requirements.txt"
    requirements.write_text("\n".join(for_target(platform, python)) + "\n")
    major_minor = "".join(python.split(".")[:2])
    # fast-deps reads each wheel's metadata with HTTP range requests instead of downloading it whole
    # (TensorFlow's are 280 MB); pip prints a warning about it being experimental, nothing more.
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        "--only-binary=:all:",
        "--use-feature=fast-deps",
        "--implementation",
        "cp",
        "--python-version",
        python,
        "--abi",
        f"cp{major_minor}",
        "--target",
        str(folder / "target"),
        "-r",
        str(requirements),
    ]
    for tag in platform[4]:
        command += ["--platform", tag]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def resolutions(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("resolve")
    # pip spends most of its time waiting on the network, so every pair runs at once.
    with ThreadPoolExecutor(max_workers=len(TARGETS)) as pool:
        results = pool.map(lambda target: resolve(target, tmp), TARGETS)
        return dict(zip(TARGETS, results))


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t[0][0]}-py{t[1]}")
def test_the_lock_resolves_with_wheels_only(resolutions, target):
    result = resolutions[target]
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_lock_forks_only_between_python_3_10_and_the_rest():
    """One tested set for 3.11 to 3.13 and one for 3.10: uv forks a package where its locked release
    needs Python 3.11 (NumPy 2.4, matplotlib 3.11, IPython 9), and nowhere else. A fork on a newer
    Python patch (a release that needs 3.11.5) is one that make lock's LOCK_CAPS must exclude."""
    requirements = [Requirement(line) for line in requirement_lines(ROOT / "constraints.txt")]
    names = [r.name.lower() for r in requirements]
    forked = {n for n in names if names.count(n) > 1}
    for requirement in requirements:
        if requirement.name.lower() in forked:
            assert names.count(requirement.name.lower()) == 2, requirement
            assert re.search(r"python_full_version [<>]=? ['\"]3\.11['\"]", str(requirement.marker)), requirement
    assert {"numpy", "matplotlib"} <= forked
    text = (ROOT / "constraints.txt").read_text()
    assert not re.search(r"python_(full_)?version [<>=!]=? '3\.(10|11|12|13)\.", text)  # no patch-level fork
    for platform in PLATFORMS:
        by_python = {
            python: dict(line.split("==") for line in for_target(platform, python) if "==" in line)
            for python in PYTHONS
        }
        newer = [(name, version) for python in PYTHONS[1:] for name, version in by_python[python].items()]
        assert len(dict(newer)) == len(set(newer)), platform[0]  # one version of each from 3.11 on
        assert Version(by_python["3.10.0"]["numpy"]) < Version(by_python["3.11.0"]["numpy"])
        assert "tomli" in by_python["3.10.0"] and "tomli" not in by_python["3.11.0"]


def test_tensorflow_is_the_cpu_build_on_linux_x86_64_and_the_full_one_elsewhere():
    linux, aarch64, macos = PLATFORMS
    assert "tensorflow-cpu==2.21.0" in for_target(linux, "3.12.0")
    assert "tensorflow==2.21.0" not in for_target(linux, "3.12.0")
    for platform in (aarch64, macos):
        assert "tensorflow==2.21.0" in for_target(platform, "3.12.0")
        assert "tensorflow-cpu==2.21.0" not in for_target(platform, "3.12.0")


def test_the_learner_set_has_no_test_only_package():
    learner = {Requirement(line).name for line in requirement_lines(ROOT / "requirements.txt", constraints=False)}
    assert learner == {"tensorflow-cpu", "tensorflow", "jupyterlab", "matplotlib", "ipywidgets", "tomli"}
    tests = {Requirement(line).name for line in requirement_lines(ROOT / "requirements-test.txt", constraints=False)}
    assert tests - learner == {"nbval", "playwright", "pytest-xdist", "ruff"}


# The Python finder, with fake interpreters on an otherwise empty PATH.
def fake_python(folder: Path, name: str, version: str, machine: str = "linux x86_64", venv: str = "venv") -> Path:
    """A script that answers the finder's probe as a Python of that version would."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{version} {machine} {venv} cpython'\n")
    path.chmod(0o755)
    return path


def find(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/sh", str(FINDER), *args], capture_output=True, text=True, env={"PATH": str(folder)}, timeout=30
    )


@pytest.mark.parametrize(
    "name, version, venv, why",
    [
        ("python3", "3.9.2", "venv", "python3 3.9.2 (is too old)"),
        ("python3.14", "3.14.0", "venv", "python3.14 3.14.0 (is too new for TensorFlow 2.21)"),
        ("python3.11", "3.11.0rc1", "venv", "python3.11 3.11.0rc1 (is a pre-release, not a final release)"),
        (
            "python3",
            "3.10.12",
            "no-venv",
            "python3 3.10.12 (has no venv module; on Debian or Ubuntu: sudo apt install python3-venv)",
        ),
    ],
)
def test_the_finder_says_in_one_sentence_what_it_found_and_what_to_install(tmp_path, name, version, venv, why):
    fake_python(tmp_path, name, version, venv=venv)
    result = find(tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert why in lines[0]
    assert "supported: CPython 3.10 to 3.13" in lines[0] and "install Python 3.12" in lines[0]


def test_the_finder_picks_the_newest_supported_python(tmp_path):
    fake_python(tmp_path, "python3.14", "3.14.0")
    fake_python(tmp_path, "python3.11", "3.11.2")
    newest = fake_python(tmp_path, "python3.12", "3.12.3")
    fake_python(tmp_path, "python3", "3.10.12")
    assert find(tmp_path).stdout.strip() == str(newest)


def test_the_finder_takes_ubuntu_22_04s_python3_and_never_its_release_candidate(tmp_path):
    """Ubuntu 22.04: python3 is 3.10.12, and its optional python3.11 package is 3.11.0rc1."""
    fake_python(tmp_path, "python3.11", "3.11.0rc1")
    fake_python(tmp_path, "python3.10", "3.10.12")
    system = fake_python(tmp_path, "python3", "3.10.12")
    assert find(tmp_path).stdout.strip() == str(tmp_path / "python3.10")
    (tmp_path / "python3.10").unlink()
    assert find(tmp_path).stdout.strip() == str(system)


def test_the_finder_honours_python_and_refuses_an_unsupported_one(tmp_path):
    fake_python(tmp_path, "python3.13", "3.13.1")
    chosen = fake_python(tmp_path, "python3.11", "3.11.2")
    assert find(tmp_path, str(chosen)).stdout.strip() == str(chosen)
    old = fake_python(tmp_path, "old", "3.9.18")
    result = find(tmp_path, str(old))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert f"PYTHON={old} cannot run the course" in result.stderr


def test_the_finder_refuses_an_intel_mac(tmp_path):
    fake_python(tmp_path, "python3.12", "3.12.3", machine="darwin x86_64")
    assert "Intel Mac, for which TensorFlow 2.21 has no wheel" in find(tmp_path).stderr


def test_the_finder_uses_a_python_uv_has_installed_and_suggests_uv(tmp_path):
    fake_python(tmp_path, "python3", "3.9.2")
    managed = fake_python(tmp_path, "managed-python", "3.12.3")
    uv = tmp_path / "uv"
    uv.write_text(f"#!/bin/sh\necho {managed}\n")
    uv.chmod(0o755)
    assert find(tmp_path).stdout.strip() == str(managed)
    uv.write_text("#!/bin/sh\nexit 2\n")
    assert "run `uv python install 3.12` (uv is here)" in find(tmp_path).stderr


def test_make_stops_with_the_finders_sentence_before_creating_anything(tmp_path):
    for name in ("Makefile", "tools/find_python.sh"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    old = fake_python(tmp_path, "python3.9", "3.9.18")
    result = subprocess.run(
        ["make", "--no-print-directory", "setup-lab", f"PYTHON={old}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[0].startswith(f"PYTHON={old} cannot run the course")
    assert not (tmp_path / ".venv").exists()


def test_the_readme_badges_name_the_repository_the_notebooks_fetch():
    from tools.notebooks import repository

    github = repository().removeprefix("https://github.com/")
    readme = (ROOT / "README.md").read_text()
    assert f"colab.research.google.com/github/{github}/blob/main/notebooks/" in readme
    assert f"mybinder.org/v2/gh/{github}/main" in readme


def test_a_failed_install_ends_with_one_line_saying_what_to_do(tmp_path):
    for name in ("Makefile", "tools/find_python.sh", "pyproject.toml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "constraints.txt").write_text("")
    (tmp_path / "requirements.txt").write_text("-c constraints.txt\nno-such-package-for-the-course==1.0\n")
    result = subprocess.run(
        ["make", "--no-print-directory", "setup-lab", f"PYTHON={sys.executable}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    # make's own closing line says "make:" or, under another make (make test), "make[1]:"
    ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert ours[-1].startswith("Installing the course's packages into .venv failed (pip says why above)")


# The version check every notebook's first cell runs.
def test_the_pinned_versions_are_the_locks_for_this_platform():
    from checks import environment

    pins = environment.pinned_versions()
    tomli = {"tomli"} if sys.version_info < (3, 11) else set()  # tomllib's stand-in on Python 3.10
    assert set(pins) - {"tensorflow", "tensorflow-cpu"} == {"jupyterlab", "matplotlib", "ipywidgets"} | tomli
    assert len(set(pins) & {"tensorflow", "tensorflow-cpu"}) == 1
    assert environment.version_problems() == []  # .venv holds the locked set


def test_a_hosted_runtime_hears_that_numbers_may_differ_and_the_checks_still_work(monkeypatch, capsys):
    from checks import environment

    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab-test")
    monkeypatch.setattr(
        environment,
        "pinned_versions",
        lambda: {"tensorflow": "2.0.0", "jupyterlab": "4.6.6", "no-such-front-end": "1.0"},
    )
    environment.prepare(seed=1)
    printed = capsys.readouterr().out
    assert printed.startswith("Note: this runtime's versions differ from the course's (TensorFlow is ")
    assert "the course pins 2.0.0" in printed and "The exercises' checks work the same." in printed
    assert "no-such-front-end" not in printed and "make setup" not in printed
