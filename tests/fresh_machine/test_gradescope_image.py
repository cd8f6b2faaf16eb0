"""Issue 14's Gradescope check on a fresh machine: the autograder zip (`make gradescope`, with a
secret) unpacked into /autograder/source of a minimal Debian 12 root standing in for Gradescope's
image, setup.sh run there once as root (as Gradescope does while it builds the image), then
run_autograder on a correct, a wrong and a broken submission. Each results.json must be one that
Gradescope's documented format accepts. Submissions run in the bubblewrap sandbox setup.sh installs;
where bubblewrap cannot run, as the user nobody, which run_autograder's stdout says
(grader/gradescope.py's promise): both are checked."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import grade_submissions as gs
import jsonschema
import pytest
from debian_root import REPO, Machine
from test_gradescope_package import RESULTS, SECRET

from grader.course import classroom

pytestmark = pytest.mark.fresh_machine

NOTEBOOK = "04_time_to_code.ipynb"
#: The zip is the assignment of notebook 04 (classroom.toml's mode: an assignment per notebook): its
#: exercises alone are graded, each its own test, for its points.
GRADED = classroom.load().course().in_notebook("04_time_to_code")
FULL_MARKS = sum(ex.points for ex in GRADED)
FORWARD_POINTS = next(ex.points for ex in GRADED if ex.name == "forward")
SETUP_TIMEOUT = 30 * 60
FALLBACK = "No bubblewrap sandbox here"  # what grader/gradescope.py prints when it runs as nobody
PROBE = 'from grader.sandbox.isolation import bubblewrap; print("sandbox problem:", bubblewrap.unavailable())'
# A Docker container (Gradescope's) has /dev/tty; the machine's minimal /dev does not, and bubblewrap's
# own /dev binds it, so without it bubblewrap fails there for a reason no real container has.
DOCKER_DEV = {Path("/dev/tty"): "/dev/tty"}


def assert_ran(result):
    if result.returncode != 0:
        pytest.fail(result.tail(), pytrace=False)


def autograder_source(folder: Path) -> Path:
    """`make gradescope`'s zip, with a secret, unpacked into folder/source."""
    (folder / "secret").write_text(SECRET + "\n")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.release",
            "gradescope",
            "--out",
            str(folder / "zips"),
            "--secret-file",
            str(folder / "secret"),
            "--assignment",
            "04_time_to_code",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    zipped = folder / "zips" / "04_time_to_code.zip"  # the notebook this test hands in
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder / "source")  # without exec bits: Gradescope's scripts are called with bash
    return folder / "source"


@pytest.fixture(scope="module")
def image(debian_root, timings, tmp_path_factory):
    """The machine after setup.sh."""
    source = autograder_source(tmp_path_factory.mktemp("gradescope-zip"))
    with Machine(debian_root) as machine:
        machine.copy_in(source, "/autograder/source")
        setup = machine.run("bash /autograder/source/setup.sh", timeout=SETUP_TIMEOUT)
        assert_ran(setup)
        assert "setup.sh: Python (system route): /usr/bin/python3 (Python 3.11.2)" in setup.output, setup.tail()
        timings.append(("Gradescope setup.sh in the Debian 12 root", setup.seconds))
        print(f"\nsetup.sh took {setup.seconds:.1f} s")
        assert_ran(machine.run("command -v bwrap"))  # setup.sh installed the sandbox
        yield machine


def grade(machine, tmp_path, text: str, before: str = "") -> tuple[dict, str | None]:
    """results.json for one submission laid out as Gradescope does, and why bubblewrap could not run
    in that same run (None when it could). ``before`` is a script that changes the container first."""
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / NOTEBOOK).write_text(text)
    run = machine.run(
        f"{before}\n"
        "rm -rf /autograder/submission /autograder/results\n"
        "cp -a /run/submission /autograder/submission\n"
        f"(cd /autograder/source && /autograder/venv/bin/python -c '{PROBE}')\n"
        "cp /autograder/source/run_autograder /autograder/ && bash /autograder/run_autograder",
        binds={tmp_path / "submission": "/run/submission", **DOCKER_DEV},
        timeout=600,
    )
    print(f"run_autograder took {run.seconds:.1f} s")
    assert_ran(run)
    problem = run.output.split("sandbox problem: ", 1)[1].splitlines()[0]
    problem = None if problem == "None" else problem
    results = json.loads(machine.path("/autograder/results/results.json").read_text())
    jsonschema.validate(results, RESULTS)
    assert isinstance(results["score"], (int, float)) and results["visibility"] == "visible"
    assert all(
        t.get("output_format", "text") in {"text", "html", "md", "ansi"} and "visibility" in t for t in results["tests"]
    )
    # In the sandbox, or, only where there can be none, as nobody; run_autograder's stdout says which.
    assert (
        f"{FALLBACK} ({problem}); the submission runs as the user nobody" in run.output
        if problem
        else FALLBACK not in run.output
    ), run.tail()
    return results, problem


def test_a_correct_submission_gets_full_marks_in_the_sandbox(image, tmp_path):
    results, problem = grade(image, tmp_path, gs.submission())
    assert problem is None  # graded in bubblewrap, as on a container that allows it
    assert results["score"] == FULL_MARKS, results["output"]
    assert results["tests"] and all(t["status"] == "passed" for t in results["tests"])
    assert {t["name"] for t in results["tests"]} == {ex.name for ex in GRADED}


def test_a_wrong_forward_gets_partial_marks_and_its_mistake_named(image, tmp_path):
    wrong = gs.forward_def(
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', "
        "initializer=initializer)\nreturn self.embedding_matrix"
    )
    results, problem = grade(image, tmp_path, gs.submission(embedding_model=wrong))
    assert problem is None
    tests = {t["name"]: t for t in results["tests"]}
    assert tests["forward"]["status"] == "failed" and tests["get_initializer"]["status"] == "passed"
    assert results["score"] == FULL_MARKS - FORWARD_POINTS
    assert tests["forward"]["extra_data"]["mistake"], tests["forward"]
    assert tests["forward"]["output"].strip()
    print(f"forward: mistake {tests['forward']['extra_data']['mistake']!r}: {tests['forward']['output'][:200]!r}")


def test_a_broken_submission_gets_one_visible_line_and_zero(image, tmp_path):
    results, _ = grade(image, tmp_path, "{ this is not json")
    assert results["score"] == 0 and results["visibility"] == "visible" and results["output"].strip()
    assert all(t["score"] == 0 and t["status"] == "failed" for t in results["tests"])
    print(f"broken: {results['output']!r}")


def test_where_bubblewrap_cannot_run_the_submission_runs_as_nobody(image, tmp_path):
    """As in a container that has no bubblewrap: bwrap not executable for this one run."""
    no_bwrap = "chmod a-x /usr/bin/bwrap; trap 'chmod a+x /usr/bin/bwrap' EXIT"
    results, problem = grade(image, tmp_path, gs.submission(), before=no_bwrap)
    assert problem and "not installed" in problem
    assert results["score"] == FULL_MARKS, results["output"]


# -- variants: each learner's own task, by the submitter Gradescope's metadata names -------------------
SALT = "gradescope image term"


def variants_source(folder: Path) -> Path:
    """Notebook 5's autograder of a class that hands out variants, unpacked into folder/source."""
    from check_harness import classroom_with_variants

    (folder / "classroom.toml").write_text(classroom_with_variants(SALT))
    (folder / "secret").write_text(SECRET + "\n")
    built = subprocess.run(
        [sys.executable, "-m", "tools.release", "--classroom", str(folder / "classroom.toml"), "gradescope"]
        + ["--out", str(folder / "zips"), "--secret-file", str(folder / "secret"), "--assignment", "05_training"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(folder / "zips" / "05_training.zip") as archive:
        archive.extractall(folder / "source")
    return folder / "source"


def test_with_variants_the_submitter_s_own_task_is_graded_and_a_neighbour_s_named(image, tmp_path):
    from checks import registry
    from checks.allocation import from_table
    from checks.variation import families

    source = variants_source(tmp_path)
    room = from_table({"enabled": True, "salt": SALT}, families())
    emails = [f"learner{n}@example.edu" for n in range(100)]
    ada = next(e for e in emails if room.variant_of(e, "nearest_neighbours") == "euclidean")
    bob = next(e for e in emails if room.variant_of(e, "nearest_neighbours") == "cosine")
    euclidean = registry.VARIANTS["nearest_neighbours"]["euclidean"]
    solved = gs.solved_learner_copy("05_training", replace={"nearest_neighbours": euclidean.solution_code})
    found = {}
    for who in (ada, bob):  # bob hands in ada's notebook
        submission = tmp_path / who
        submission.mkdir()
        (submission / "05_training.ipynb").write_text(json.dumps(solved))
        (submission / "metadata.json").write_text(
            json.dumps({"users": [{"email": who, "id": 3, "name": "A", "sid": ""}]})
        )
        run = image.run(  # this autograder in place of notebook 4's for one run, on the image setup.sh made
            "mv /autograder/source /autograder/source-04 && trap 'rm -rf /autograder/source && "
            "mv /autograder/source-04 /autograder/source' EXIT\n"
            "cp -a /run/variants-source /autograder/source\n"
            "rm -rf /autograder/submission /autograder/results && mkdir /autograder/submission\n"
            "cp /run/submission/05_training.ipynb /autograder/submission/\n"
            "cp /run/submission/metadata.json /autograder/submission_metadata.json\n"
            "cp /autograder/source/run_autograder /autograder/ && bash /autograder/run_autograder",
            binds={submission: "/run/submission", source: "/run/variants-source", **DOCKER_DEV},
            timeout=600,
        )
        assert_ran(run)
        results = json.loads(image.path("/autograder/results/results.json").read_text())
        jsonschema.validate(results, RESULTS)
        [found[who]] = results["tests"]
    assert found[ada]["status"] == "passed" and found[ada]["extra_data"]["variant"] == "euclidean", found[ada]
    assert found[bob]["status"] == "failed" and found[bob]["extra_data"]["solves"] == "euclidean"
    assert 'your task is "cosine"' in found[bob]["output"]
