"""Every learner notebook runs outside the course folder, as in Colab: copied alone into an empty
folder and run by a kernel that has TensorFlow but not `checks`, its first code cell installs the
course from a local copy (EMBEDDING_COURSE_SOURCE: a folder, or an archive's URL), and then the
notebook runs as in the course, its check cells saying "not attempted"; and notebook 5 runs again in
a new kernel, as after Colab's "Restart session", with the course installed by then.

The kernel is a throwaway venv that sees .venv's packages through a path line in a .pth file, which
does not bring the editable install of `checks` with it. 20-35 s a notebook, 2-3 minutes for the five
on 2 shared cores."""

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools import notebooks as tool

pytestmark = pytest.mark.slow(minutes=2)  # runs whole notebooks: not in make test-fast

ROOT = tool.ROOT
LEARNER = sorted(tool.LEARNER.glob("*.ipynb"))
# What a copy of the course needs; not the venv, the git history or what the tests build.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv*", "build", "__pycache__", "*.egg-info", "docs")


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("source") / "embedding-matrix-course"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    return copy


def kernel_without_checks(folder: Path, name: str) -> Path:
    """A kernel spec in folder/share/jupyter whose Python sees .venv's packages but not `checks`."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # pip too comes from .venv, and installs into this venv (its sys.prefix).
    Path(site_packages, "course_venv_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    spec = folder / "share" / "jupyter" / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": name,
                "language": "python",
            }
        )
    )
    probe = subprocess.run([str(python), "-c", "import tensorflow, checks"], capture_output=True, text=True, cwd=folder)
    assert "No module named 'checks'" in probe.stderr, "the kernel must lack checks for this test to mean anything"
    return folder / "share" / "jupyter"


def zipped(course: Path, folder: Path) -> str:
    """The course as an archive laid out as GitHub's are (one top folder), by file:// URL."""
    archive = folder / "course-main.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(course.rglob("*")):
            if path.is_file():
                out.write(path, Path("embedding-matrix-course-main") / path.relative_to(course))
    return archive.as_uri()


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.stem)
def test_a_learner_notebook_alone_fetches_the_course_and_runs(path, course_copy, tmp_path, monkeypatch):
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(path, alone / path.name)
    # One notebook takes the archive route (unpack, then install); the others a folder.
    source = zipped(course_copy, tmp_path) if path.stem.startswith("04") else str(course_copy)
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_without_checks(tmp_path / "kernel", "outside-course")))
    monkeypatch.setenv("EMBEDDING_COURSE_SOURCE", source)
    nb = nbformat.read(alone / path.name, 4)
    NotebookClient(
        nb, timeout=300, kernel_name="outside-course", allow_errors=True, resources={"metadata": {"path": str(alone)}}
    ).execute()

    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    fetch_output = "".join(o.get("text", "") for o in code[0].outputs)
    assert f"The course is installed from {source}" in fetch_output, code[0].outputs
    assert "Ready: course" in "".join(o.get("text", "") for o in code[1].outputs)
    for cell in code:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "check" in cell.metadata.get("tags", []):
            assert [e.ename for e in errors] == ["NotAttempted"], cell.source
        else:
            assert errors == [], f"{cell.source}\n{errors and errors[0].evalue}"
    if path.stem.startswith("04"):
        assert (alone / "embedding-matrix-course" / "data").is_dir()  # unpacked beside the notebook
    if path.stem.startswith("05"):  # Colab's Restart session, then Run all: the course is installed by now
        again = nbformat.read(alone / path.name, 4)
        NotebookClient(
            again,
            timeout=300,
            kernel_name="outside-course",
            allow_errors=True,
            resources={"metadata": {"path": str(alone)}},
        ).execute()
        code = [cell for cell in again.cells if cell.cell_type == "code"]
        first = "".join(o.get("text", "") for o in code[0].outputs)
        assert "installed" not in first and "Working in" in first, code[0].outputs  # found, and moved to it
        for cell in code:
            errors = [o for o in cell.outputs if o.output_type == "error"]
            allowed = ["NotAttempted"] if "check" in cell.metadata.get("tags", []) else []
            assert [e.ename for e in errors] == allowed, f"{cell.source}\n{errors and errors[0].evalue}"
