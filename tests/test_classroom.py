"""GitHub Classroom templates (`make release TEMPLATE=github`): one per assignment as classroom.toml's
mode says, each holding its workflow and everything the workflow's steps run, and nothing a learner
must not read. tests/fresh_machine/test_github_classroom.py runs the workflows as GitHub would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from test_release import leaks

import checks
import checks.expected
from grader.course import classroom
from tools import classroom_workflow
from tools.release import github_classroom

pytestmark = pytest.mark.slow  # builds the release or the otter folders, TensorFlow included: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path, toml: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tools.release"]
    if toml is not None:
        (out / "classroom.toml").parent.mkdir(parents=True, exist_ok=True)
        (out / "classroom.toml").write_text(toml)
        command += ["--classroom", str(out / "classroom.toml")]
    return subprocess.run(
        [*command, "learners", "--out", str(out / "release"), "--template", "github"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def templates(out: Path) -> dict[str, Path]:
    """assignment -> template folder."""
    return {p.name.rsplit("-github-", 1)[1]: p for p in sorted((out / "release").glob("*-github-*")) if p.is_dir()}


def steps(template: Path) -> list[dict]:
    [job] = yaml.safe_load((template / ".github" / "workflows" / "classroom.yml").read_text())["jobs"].values()
    return job["steps"]


def graders(template: Path) -> list[dict]:
    return [s for s in steps(template) if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]


@pytest.fixture(scope="module")
def per_notebook(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("per-notebook")
    built = build(out)
    assert built.returncode == 0, built.stderr
    return templates(out)


def test_a_template_per_notebook_each_grading_its_own_exercises_with_their_points(per_notebook):
    course = classroom.load().course()
    assert course.per_notebook and list(per_notebook) == course.notebooks()
    for notebook, template in per_notebook.items():
        exercises = course.in_notebook(notebook)
        steps_ = graders(template)
        assert [s["with"]["test-name"] for s in steps_] == [ex.name for ex in exercises]
        assert [int(s["with"]["max-score"]) for s in steps_] == [int(ex.points) for ex in exercises]
        for step, exercise in zip(steps_, exercises):
            assert step["with"]["command"].startswith(f"python -m grader notebooks/{notebook}.ipynb ")
            assert f"--require {exercise.name};" in step["with"]["command"]
            assert (template / "notebooks" / f"{notebook}.ipynb").is_file()
        reporter = steps(template)[-1]
        assert reporter["with"]["runners"].split(",") == [s["id"] for s in steps_]
        assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in steps_}


def test_in_course_mode_one_template_holds_the_same_steps(per_notebook, tmp_path):
    text = (ROOT / "classroom.toml").read_text().replace('mode = "per-notebook"', 'mode = "course"')
    built = build(tmp_path, text)
    assert built.returncode == 0, built.stderr
    [(name, template)] = templates(tmp_path).items()
    assert name == "course"
    every = [step for t in per_notebook.values() for step in graders(t)]
    assert graders(template) == every
    assert 'mode = "course"' in (template / "classroom.toml").read_text()


def test_the_template_holds_what_the_steps_run(per_notebook):
    for template in per_notebook.values():
        run = "\n".join(s["run"] for s in steps(template) if "run" in s)
        assert "python -m pip install --disable-pip-version-check -r requirements-grader.txt -c constraints.txt" in run

        def listed(path):
            return [line for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]

        assert listed(template / "requirements-grader.txt") == listed(ROOT / "gradescope" / "requirements.txt")
        assert (template / "constraints.txt").read_text() == (ROOT / "constraints.txt").read_text()
        assert "apt-get install -y -q --no-install-recommends bubblewrap" in run
        assert "kernel.apparmor_restrict_unprivileged_userns=0" in run  # ubuntu-latest's AppArmor, lifted
        assert (template / "classroom.toml").read_text() == (ROOT / "classroom.toml").read_text()
        for module in (
            "grader/__main__.py",
            "grader/commands/grade.py",
            "grader/sandbox/isolation/bubblewrap.py",
            "checks/__init__.py",
            "pyproject.toml",
        ):
            assert (template / module).is_file(), module
        assert ".venv/" in (template / ".gitignore").read_text()
        readme = (template / "README.md").read_text()
        assert "push" in readme and "Actions" in readme


def test_no_solution_and_no_hidden_result_in_a_template(per_notebook):
    """The template is the learners' release (test_release.py searches it for every line of every
    answer) with the same checks, plus files that hold no line of an answer either."""
    for template in per_notebook.values():
        [release] = [p for p in template.parent.glob("*") if p.is_dir() and "-github-" not in p.name]
        files = {p.relative_to(template).as_posix(): p.read_text() for p in template.rglob("*") if p.is_file()}
        learners = {p.relative_to(release).as_posix(): p.read_text() for p in release.rglob("*") if p.is_file()}
        assert {n: f for n, f in files.items() if n.startswith("checks/")} == {
            n: f for n, f in learners.items() if n.startswith("checks/")
        }
        assert leaks({n: f for n, f in files.items() if learners.get(n) != f}) == []
        assert not any(
            name.startswith(("solutions/", "tests/", "tools/", "gradescope/")) for name in files if name not in learners
        )  # the release's own (tools/find_python.sh, which make runs)
        assert "grading_secret" not in files and "secret" not in json.dumps(steps(template)).lower()
        for exercise in checks.EXERCISES.values():
            recorded = template / "checks" / "expected" / f"{exercise.name}.json"
            if recorded.is_file():  # the public cases' results, and no other case's
                keys = set(json.loads(recorded.read_text())["cases"])
                assert keys == {checks.expected.fingerprint(c) for c in exercise.public_cases()}


def test_points_a_step_cannot_give_are_refused_and_partial_credit_is_named(tmp_path):
    refused = build(tmp_path / "half", "[exercises.forward]\npoints = 1.5\n")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "Cannot build: GitHub Classroom gives whole points only, and forward is worth 1.5 in classroom.toml; "
        "make its points a whole number."
    )
    shared = build(tmp_path / "shared", "[exercises.forward]\npoints = 2\npartial_credit = true\n")
    assert shared.returncode == 0, shared.stderr
    assert "partial credit classroom.toml gives forward is not carried" in shared.stderr
    [forward] = [s for t in templates(tmp_path / "shared").values() for s in graders(t) if s["name"] == "forward"]
    assert forward["with"]["max-score"] == 2


def test_a_step_earns_all_or_nothing_as_the_action_reads_it():
    """classroom-resources/autograding-command-grader reads max-score with parseInt: only whole points."""
    course = classroom.load().course()
    text = classroom_workflow.workflow(course.exercises)
    for step in yaml.safe_load(text)["jobs"]["run-autograding-tests"]["steps"]:
        if "max-score" in step.get("with", {}):
            assert isinstance(step["with"]["max-score"], int)
    assert github_classroom.WORKFLOW == ".github/workflows/classroom.yml"


def test_with_variants_each_step_passes_the_pusher_and_the_template_names_no_moved_learner(tmp_path):
    from check_harness import classroom_with_variants

    toml = classroom_with_variants("template term", '[variants.moved]\n"octo-zed" = { count_words = "presence" }\n')
    built = build(tmp_path, toml)
    assert built.returncode == 0, built.stderr
    template = templates(tmp_path)["01_creating_variables"]
    [step] = graders(template)
    assert '--require count_words --learner "file:${{ github.actor }}";' in step["with"]["command"]
    kept = (template / "classroom.toml").read_text()
    assert "octo-zed" not in kept and tomllib.loads(kept)["variants"] == {"enabled": True, "salt": "template term"}
    record = json.loads((template / "checks" / "variants.json").read_text())
    assert len(record["allocation"]["moved"]) == 1 and "octo-zed" not in json.dumps(record)


def test_without_variants_no_step_names_a_learner(per_notebook):
    for template in per_notebook.values():
        assert all("--learner" not in step["with"]["command"] for step in graders(template))
