"""Issue 14's Gradescope check on a fresh machine: the autograder zip (`make gradescope`, with a
secret) unpacked into /autograder/source of a minimal Debian 12 root standing in for Gradescope's
image, setup.sh run there once as root (as Gradescope does while it builds the image), then
run_autograder on a correct, a wrong and a broken submission. Each results.json must be one that
Gradescope's documented format accepts, and submissions must run in the bubblewrap sandbox setup.sh
installs, or, where that root cannot make one, as the user nobody (grader/gradescope.py's promise).
"""
import json
import subprocess
import sys
import time
import zipfile

import jsonschema
import pytest
from debian_root import REPO, Machine

import checks
import grade_submissions as gs
from test_gradescope_package import RESULTS, SECRET

pytestmark = pytest.mark.fresh_machine

NOTEBOOK = "04_time_to_code.ipynb"
SETUP_TIMEOUT = 30 * 60
FALLBACK = "No bubblewrap sandbox here"  # what grader/gradescope.py prints when it runs as nobody


def assert_ran(result):
    if result.returncode != 0:
        pytest.fail(result.tail(), pytrace=False)


@pytest.fixture(scope="module")
def image(debian_root, timings, tmp_path_factory):
    """The machine after setup.sh, and why bubblewrap cannot run there (None when it can)."""
    folder = tmp_path_factory.mktemp("gradescope-zip")
    (folder / "secret").write_text(SECRET + "\n")
    zipped = folder / "autograder.zip"
    built = subprocess.run([sys.executable, "-m", "tools.release", "gradescope", "--out", str(zipped),
                            "--secret-file", str(folder / "secret")],
                           capture_output=True, text=True, cwd=REPO, timeout=300)
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder / "source")  # without exec bits: Gradescope's scripts are called with bash
    with Machine(debian_root) as machine:
        machine.copy_in(folder / "source", "/autograder/source")
        setup = machine.run("bash /autograder/source/setup.sh", timeout=SETUP_TIMEOUT)
        assert_ran(setup)
        timings.append(("Gradescope setup.sh in the Debian 12 root", setup.seconds))
        print(f"\nsetup.sh took {setup.seconds:.1f} s")
        probe = machine.run("command -v bwrap\ncd /autograder/source\n"
                            "/autograder/venv/bin/python -c 'from grader.sandbox.isolation import bubblewrap; "
                            "print(\"sandbox problem:\", bubblewrap.unavailable())'")
        assert_ran(probe)
        assert "/bwrap" in probe.output, "setup.sh did not install bubblewrap:\n" + probe.output
        problem = probe.output.split("sandbox problem: ", 1)[1].strip()
        print(f"bubblewrap in the root: {'works' if problem == 'None' else problem}")
        yield machine, None if problem == "None" else problem


def grade(image, tmp_path, text: str) -> tuple[dict, str]:
    """results.json and what run_autograder printed, for one submission as Gradescope lays it out."""
    machine, problem = image
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / NOTEBOOK).write_text(text)
    run = machine.run("rm -rf /autograder/submission /autograder/results\n"
                      "cp -a /run/submission /autograder/submission\n"
                      "cp /autograder/source/run_autograder /autograder/ && bash /autograder/run_autograder",
                      binds={tmp_path / "submission": "/run/submission"}, timeout=600)
    print(f"run_autograder took {run.seconds:.1f} s")
    assert_ran(run)
    results = json.loads(machine.path("/autograder/results/results.json").read_text())
    jsonschema.validate(results, RESULTS)
    assert isinstance(results["score"], (int, float)) and results["visibility"] == "visible"
    assert all(t.get("output_format", "text") in {"text", "html", "md", "ansi"} and "visibility" in t
               for t in results["tests"])
    # Sandboxed, or, only where this root cannot make a sandbox, run as nobody: said on stdout.
    assert (FALLBACK in run.output) == (problem is not None), run.tail()
    return results, run.output


def test_a_correct_submission_gets_full_marks(image, tmp_path):
    results, _ = grade(image, tmp_path, gs.submission())
    assert results["score"] == sum(ex.points for ex in checks.ASSIGNMENT), results["output"]
    assert results["tests"] and all(t["status"] == "passed" for t in results["tests"])
    assert {t["name"] for t in results["tests"]} == {ex.name for ex in checks.ASSIGNMENT}


def test_a_wrong_forward_gets_partial_marks_and_its_mistake_named(image, tmp_path):
    wrong = gs.forward_def("self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
                           "initializer=initializer)\nreturn self.embedding_matrix")
    results, _ = grade(image, tmp_path, gs.submission(embedding_model=wrong))
    tests = {t["name"]: t for t in results["tests"]}
    assert tests["forward"]["status"] == "failed" and tests["get_initializer"]["status"] == "passed"
    assert results["score"] == sum(ex.points for ex in checks.ASSIGNMENT) - checks.forward.points
    assert tests["forward"]["extra_data"]["mistake"], tests["forward"]
    assert tests["forward"]["output"].strip()
    print(f"forward: mistake {tests['forward']['extra_data']['mistake']!r}: {tests['forward']['output'][:200]!r}")


def test_a_broken_submission_gets_one_visible_line_and_zero(image, tmp_path):
    results, _ = grade(image, tmp_path, "{ this is not json")
    assert results["score"] == 0 and results["visibility"] == "visible" and results["output"].strip()
    assert all(t["score"] == 0 and t["status"] == "failed" for t in results["tests"])
    print(f"broken: {results['output']!r}")
