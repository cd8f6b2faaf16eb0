"""Issue 18's Gradescope check on Ubuntu 22.04's Python: the image's own python3 is CPython 3.10.

The same autograder zip and Debian 12 root as test_gradescope_image.py, but with this machine's
CPython 3.10 (python310.py finds it) copied in and linked as /usr/local/bin/python3, so that it is the
python3 the image offers, as on Gradescope's Ubuntu 22.04 image. setup.sh must take it (the system
route: no Python downloaded, only packages from PyPI and Debian), build the grader's venv on 3.10 with
the lock's 3.10 side, and run_autograder must then grade a correct and a wrong notebook in the sandbox.
"""

from pathlib import Path

import grade_submissions as gs
import pytest
from debian_root import Machine
from python310 import prefix, python310
from test_gradescope_image import (
    FORWARD_POINTS,
    FULL_MARKS,
    GRADED,
    SETUP_TIMEOUT,
    assert_ran,
    autograder_source,
    grade,
)

pytestmark = pytest.mark.fresh_machine

SYSTEM_PYTHON = "/usr/local/bin/python3"  # before Debian's /usr/bin/python3 (3.11.2) on PATH


@pytest.fixture(scope="module")
def image(debian_root, timings, tmp_path_factory):
    """The machine, its python3 CPython 3.10, after setup.sh."""
    home = prefix(python310())
    if home in (Path("/usr"), Path("/usr/local")) or not (home / "lib" / "python3.10").is_dir():
        pytest.skip(f"the CPython 3.10 found, in {home}, is not an installation of its own to copy into the root")
    source = autograder_source(tmp_path_factory.mktemp("gradescope-zip"))
    with Machine(debian_root) as machine:
        # At the same path: its executable finds libpython3.10 there (its RUNPATH).
        machine.copy_in(home, str(home))
        machine.run(f"ln -s {home}/bin/python3.10 {SYSTEM_PYTHON}", check=True)
        found = machine.run("command -v python3 && python3 -V", check=True).output.split()
        assert found[0] == SYSTEM_PYTHON and found[2].startswith("3.10."), found
        machine.copy_in(source, "/autograder/source")
        setup = machine.run("bash /autograder/source/setup.sh", timeout=SETUP_TIMEOUT)
        assert_ran(setup)
        timings.append(("Gradescope setup.sh in the Debian 12 root, its python3 CPython 3.10", setup.seconds))
        print(f"\nsetup.sh took {setup.seconds:.1f} s")
        yield machine, setup


def test_setup_takes_the_images_python_3_10_and_downloads_no_python(image):
    machine, setup = image
    version = machine.run("python3 -V", check=True).output.split()[-1]
    assert f"setup.sh: Python (system route): {SYSTEM_PYTHON} (Python {version})" in setup.output, setup.tail()
    venv = machine.run(
        "/autograder/venv/bin/python -c 'import sys, numpy, tomli; print(sys.version.split()[0], numpy.__version__)'",
        check=True,
    )
    assert venv.output.split()[0] == version, venv.output  # the grader's venv runs on that Python
    assert venv.output.split()[1].startswith("2.2."), venv.output  # the lock's 3.10 side: NumPy 2.2
    assert "Installed Python" not in setup.output and not machine.path("/autograder/tools/python").exists()


def test_a_correct_notebook_gets_full_marks_on_python_3_10(image, tmp_path):
    machine, _ = image
    results, problem = grade(machine, tmp_path, gs.submission())
    assert problem is None  # graded in bubblewrap
    assert results["score"] == FULL_MARKS, results["output"]
    assert {t["name"] for t in results["tests"]} == {ex.name for ex in GRADED}
    assert all(t["status"] == "passed" for t in results["tests"])


def test_a_wrong_forward_loses_only_its_points_on_python_3_10(image, tmp_path):
    machine, _ = image
    wrong = gs.forward_def(
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
        "initializer=initializer)\nreturn self.embedding_matrix"
    )
    results, problem = grade(machine, tmp_path, gs.submission(embedding_model=wrong))
    assert problem is None
    tests = {t["name"]: t for t in results["tests"]}
    assert tests["forward"]["status"] == "failed" and tests["get_initializer"]["status"] == "passed"
    assert results["score"] == FULL_MARKS - FORWARD_POINTS
    assert tests["forward"]["extra_data"]["mistake"], tests["forward"]
