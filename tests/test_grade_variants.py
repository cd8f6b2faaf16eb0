"""Each learner their own task, graded (issue 24): in a class that hands out variants, every answer of
every variant's table gets the same verdict from the grader (which reads whose a file is from its
folder, as nbgrader's and a cloned repository's layouts give it) as from the notebook's check in that
learner's kernel; and a class in which some learners hand in a neighbour's notebook, as Canvas and
Moodle name the files, gets a verdict naming both tasks for each such file, and a report that lists them.

The grader runs on a copy of the course whose classroom.toml turns variants on."""

from __future__ import annotations

import itertools
import json
import linecache
import shutil
import subprocess
import sys
from pathlib import Path

import grade_submissions as gs
import nbformat
import pytest
from check_harness import VARIANTS, table
from test_grade_agreement import answer_source, comparable, imports_of

import checks
from checks import registry, variation
from checks.allocation import from_table

pytestmark = pytest.mark.slow  # runs the grader on a class: not in make test-fast

ROOT = Path(checks.__file__).resolve().parent.parent
SALT = "agreement term"
TOML = f'[variants]\nenabled = true\nsalt = "{SALT}"\n'
ROOM = from_table({"enabled": True, "salt": SALT}, variation.families())
VARIED = [name for name in checks.EXERCISES if len(registry.variants(name)) > 1]


_IDS = itertools.count(40001)


def learners_of(name: str, key: str):
    """Ids the allocation gives the variant ``key`` of exercise ``name``, one after another, none given
    out twice in a run (as Canvas user ids)."""
    while True:
        learner = str(next(_IDS))
        if ROOM.variant_of(learner, name) == key:
            yield learner


def course_copy(folder: Path) -> Path:
    """checks/ and grader/ with a classroom.toml that hands out variants (the grader reads it there)."""
    for package in ("checks", "grader"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.txt", "constraints.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    (folder / "classroom.toml").write_text(TOML)
    return folder


def run_grader(course: Path, module: str, *arguments: str) -> subprocess.CompletedProcess:
    """``python -m MODULE ARGUMENTS`` (the grader, or one of its commands) on the course copy."""
    done = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=course,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(course), "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def grade(course: Path, submissions: Path, out: Path) -> list[dict]:
    run_grader(course, "grader", str(submissions), "--out", str(out), "--quiet")
    return json.loads((out / "results.json").read_text())["submissions"]


def cells(exercise, source: str, imports: str) -> list:
    return [
        (gs.SETUP, []),
        (imports, []),
        (source, []),
        (f"checks.{exercise.name}.check({exercise.answer_name})", ["check"]),
    ]


def in_the_learners_kernel(exercise, source: str, imports: str, learner: str, monkeypatch):
    """What the notebook's check cell says, in a kernel where ``learner`` gave their id."""
    monkeypatch.setattr(variation, "allocation", lambda: ROOM)
    monkeypatch.setattr(variation, "_GIVEN", [learner])
    monkeypatch.setattr(variation, "_PRACTISED", {})
    namespace = {"__name__": "__main__"}
    for number, code in enumerate((gs.SETUP, imports, source)):
        filename = f"<notebook cell {number}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        exec(compile(code, filename, "exec"), namespace)
    task = exercise.in_force()
    return task, variation.judged(task, namespace[exercise.answer_name])


def every_answer() -> dict:
    """learner -> (variant, answer's source, imports): every answer of every variant's table, each handed
    in by a learner that variant is allotted to."""
    made = {}
    for name in VARIED:
        for variant in registry.variants(name):
            ids = learners_of(name, variant.variant)
            answers = table(variant.variant_id)
            for answer in [*answers.RIGHT, *(row[0] for row in answers.WRONG), *answers.TUNED]:
                made[next(ids)] = (variant, answer_source(variant, answer), imports_of(answer))
    return made


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants-agreement")
    course = course_copy(folder / "course")
    made = every_answer()
    for learner, (variant, source, imports) in made.items():
        path = folder / "submitted" / learner / f"{variant.notebook}.ipynb"  # a folder per learner: nbgrader's
        path.parent.mkdir(parents=True)
        path.write_text(nbformat.writes(gs.notebook(cells(variant, source, imports))))
    rows = grade(course, folder / "submitted", folder / "out")
    return made, {row["learner"].split(":", 1)[1]: row for row in rows}


def test_there_is_an_answer_of_every_variant(graded):
    made, _ = graded
    assert {variant.variant_id for variant, _, _ in made.values()} == {
        v.variant_id for v in VARIANTS.values() if v.name in VARIED
    }


def test_the_grader_grades_each_learner_s_own_variant_as_their_notebook_does(graded, monkeypatch):
    made, rows = graded
    disagreements = []
    for learner, (variant, source, imports) in made.items():
        [test] = [t for t in rows[learner]["tests"] if t["name"] == variant.name]
        task, outcome = in_the_learners_kernel(variant, source, imports, learner, monkeypatch)
        assert task is variant and test["extra_data"]["variant"] == variant.variant
        got = (test["extra_data"]["result"], test["extra_data"]["mistake"], comparable(test["output"]))
        wanted = (outcome.status.value, outcome.mistake, comparable(f"{outcome.heading}. {outcome.message}"))
        if got != wanted:
            disagreements.append((variant.variant_id, learner, got, wanted))
    assert disagreements == []


def test_another_variant_s_reference_is_named_as_that_task_in_the_grader_too(graded):
    made, rows = graded
    for learner, (variant, source, _) in made.items():
        test = next(t for t in rows[learner]["tests"] if t["name"] == variant.name)
        others = [other for other in registry.variants(variant.name) if other is not variant]
        for other in others:
            if source.strip() == answer_source(other, table(other.variant_id).RIGHT[0]).strip():
                assert test["extra_data"]["solves"] == other.variant, (learner, test["output"])
                assert test["extra_data"]["mistake"] == variation.ANOTHER_VARIANT


# -- a class in which some learners hand in a neighbour's notebook -------------------------------------
CANVAS = "{name}_{user}_{attachment}_05_training.ipynb"


def test_a_class_with_copies_gets_verdicts_naming_both_tasks_and_a_report_listing_them(tmp_path):
    course = course_copy(tmp_path / "course")
    exercise = checks.nearest_neighbours
    ids = {key: learners_of(exercise.name, key) for key in ROOM.offered[exercise.name]}
    learners = {key: [next(found) for _ in range(3)] for key, found in ids.items()}

    def solved(variant) -> str:
        return json.dumps(gs.solved_learner_copy(exercise.notebook, replace={exercise.name: variant.solution_code}))

    family = registry.VARIANTS[exercise.name]
    cosine, euclidean = family["cosine"], family["euclidean"]
    submissions = tmp_path / "canvas"
    submissions.mkdir()
    handed_in = {}  # Canvas user id -> the variant whose answer the file holds
    for key, group in learners.items():
        for number, user in enumerate(group):
            holds = family[key]
            if number == 2:  # the third learner of each task hands in a neighbour's notebook
                holds = euclidean if key != "euclidean" else cosine
            handed_in[user] = holds
            name = CANVAS.format(name=f"learner{user}", user=user, attachment=100 + len(handed_in))
            (submissions / name).write_text(solved(holds))
    alone = tmp_path / "canvas" / "05_training.ipynb"  # a file no LMS named, in no folder: no learner id
    alone.write_text(solved(cosine))
    out = tmp_path / "out"
    done = run_grader(course, "grader", str(submissions), "--out", str(out))
    rows = json.loads((out / "results.json").read_text())["submissions"]
    by_user = {row["learner"].split(":", 1)[1]: row for row in rows if row["learner"].startswith("canvas:")}
    copies = []
    for user, holds in handed_in.items():
        [test] = [t for t in by_user[user]["tests"] if t["name"] == exercise.name]
        own = ROOM.variant_of(user, exercise.name)
        assert test["extra_data"]["variant"] == own
        if holds.variant == own:
            assert test["extra_data"]["result"] == "passed" and "solves" not in test["extra_data"]
        else:
            copies.append(user)
            assert test["extra_data"]["result"] == "incorrect" and test["extra_data"]["solves"] == holds.variant
            assert f'the task "{holds.variant}"' in test["output"] and f'your task is "{own}"' in test["output"]
    assert len(copies) == 3
    [lonely] = [row for row in rows if row["learner"].startswith("file:")]
    assert any("No learner id" in note for note in lonely["notes"])
    assert "Possible copies (3)" in done.stdout and "Each learner's own task, passed" in done.stdout
    run_grader(course, "grader.commands.report", str(out))
    report = (out / "report.html").read_text()
    assert "<h2>Each learner's own task</h2>" in report and "Possible copies" in report
    for user in copies:
        assert f"canvas:{user}" in report


def test_moodle_s_download_is_graded_by_each_learner_s_name(tmp_path):
    course = course_copy(tmp_path / "course")
    exercise = checks.nearest_neighbours
    family = registry.VARIANTS[exercise.name]
    jane = ROOM.variant_of("Jane Doe", exercise.name)  # the name a learner types, as Moodle writes it
    submissions = tmp_path / "moodle"
    for participant, name, holds in ((37, "Jane Doe", jane), (52, "Participant", jane)):
        folder = submissions / f"{name}_{participant}_assignsubmission_file_"  # "Download submissions in folders"
        folder.mkdir(parents=True)
        solved = gs.solved_learner_copy(exercise.notebook, replace={exercise.name: family[holds].solution_code})
        (folder / "05_training.ipynb").write_text(json.dumps(solved))
    rows = {row["learner"]: row for row in grade(course, submissions, tmp_path / "out")}
    [test] = rows["moodle:37"]["tests"]
    assert test["extra_data"]["variant"] == jane and test["extra_data"]["result"] == "passed"
    assert any("No learner id" in note for note in rows["moodle:52"]["notes"])  # blind marking: no name
