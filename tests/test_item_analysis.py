"""Item analysis end to end. A class whose attempt records real kernels made (tests/attempt_class.py:
checks, hints, solutions and wrong answers, as each learner's plan says) is graded with each assignment
mode, as `make grade` grades it; what the grader writes (item-statistics.csv, attempts.csv,
report.html, results.json's records) must say what is worked out here, on its own, from the plans and
from the notebooks' outputs. A notebook whose record was edited or removed is graded exactly as
before, and Gradescope's results carry the record."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
import shutil
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from attempt_class import CLEARED, NOTEBOOKS, PLANS, answer, make_class
from check_harness import table

import checks
from grader.course import classroom
from grader.outputs import item_analysis, report, results_json
from grader.pipeline.batch import grade
from grader.pipeline.read import find_submissions

pytestmark = pytest.mark.slow(minutes=6)  # a kernel per learner's notebook, and four runs of the grader

ROOT = Path(__file__).resolve().parent.parent
HELP = ("hint", "solution")
KEY = "embedding-matrix/attempts"  # where the record lives in an output's metadata: the format, said again


# -- what the plans say, worked out here -------------------------------------------------------------
def notebook_of(exercise: str) -> str:
    return checks.EXERCISES[exercise].notebook


def steps(learner: str, exercise: str) -> list:
    """What the learner did on the exercise, in order (nothing where the notebook was not handed in)."""
    plan = [step for step in PLANS[learner].get(notebook_of(exercise), []) if step != CLEARED]
    return [what for ex, what in plan if ex == exercise]


def verdict(exercise: str, name: str) -> tuple[str, str]:
    """(result, mistake key) of a check of the answer ``name``, from the exercise's table of answers."""
    if name == "placeholder":
        return "not attempted", "not-attempted"
    given = answer(exercise, name)
    if given in table(exercise).RIGHT:
        return "passed", "passed"
    (row,) = [row for row in table(exercise).WRONG if row[0] is given]
    return row[1].value, row[2]


def final(learner: str, exercise: str) -> str:
    answers = [what if isinstance(what, str) else what[1] for what in steps(learner, exercise) if what not in HELP]
    answers = [name for name in answers if name != "placeholder"]
    return verdict(exercise, answers[-1])[0] if answers else "not attempted"


def holders(exercise: str, mode: str) -> list[str]:
    if mode == "course":
        return list(PLANS)
    return [learner for learner in PLANS if notebook_of(exercise) in PLANS[learner]]


def exercises(mode: str) -> list[str]:
    if mode == "course":
        return [ex.name for ex in checks.ASSIGNMENT]
    return [name for names in NOTEBOOKS.values() for name in names]


def in_a_handed_in_notebook(learner: str, exercise: str) -> bool:
    return notebook_of(exercise) in PLANS[learner]


def passes(learner: str, exercise: str) -> int:
    return int(in_a_handed_in_notebook(learner, exercise) and final(learner, exercise) == "passed")


def total(learner: str) -> int:
    return sum(passes(learner, ex) for ex in exercises("per-notebook"))


def journey(learner: str, exercise: str) -> dict | None:
    """What the learner's record must hold of the exercise; None: no record (cleared, or not handed in)."""
    plan = PLANS[learner].get(notebook_of(exercise))
    if plan is None or CLEARED in plan:
        return None
    done = steps(learner, exercise)
    checked = [what for what in done if isinstance(what, str) and what not in HELP]
    answered = [verdict(exercise, name) for name in checked if name != "placeholder"]
    first_pass = next((i for i, (result, _) in enumerate(answered) if result == "passed"), None)
    return {
        "entries": len(checked) + sum(1 for what in done if what in HELP),
        "checks": len(checked),
        "hints": sum(1 for what in done if what == "hint"),
        "solutions": sum(1 for what in done if what == "solution"),
        "checks_to_pass": None if first_pass is None else first_pass + 1,
        "answered": len(answered),
        "hint": min(sum(1 for what in done if what == "hint"), len(checks.EXERCISES[exercise].hints)),
        "solution": "solution" in done,
        "mistakes": {key for result, key in answered if result != "passed"},
    }


def quintiles_by_average_rank(totals: list[float]) -> list[int]:
    """Quintiles from average ranks (1-based, ties sharing their mean rank): floor(5 (rank - 1/2) / n)."""
    order = sorted(totals)
    ranks = [np.mean([i + 1 for i, t in enumerate(order) if t == total]) for total in totals]
    return [min(4, math.floor(5 * (rank - 0.5) / len(totals))) for rank in ranks]


def expected_items(mode: str) -> dict:
    expected = {}
    for exercise in exercises(mode):
        learners = holders(exercise, mode)
        scores = [passes(learner, exercise) for learner in learners]
        totals = [total(learner) for learner in learners]
        rest = [t - s for t, s in zip(totals, scores)]
        r = np.corrcoef(scores, rest)[0, 1] if np.std(scores) and np.std(rest) else None
        groups = quintiles_by_average_rank(totals)
        journeys = [journey(learner, exercise) for learner in learners]
        recorded = [j for j in journeys if j is not None and j["entries"]]
        expected[exercise] = {
            "learners": len(learners),
            "passed": sum(scores),
            "discrimination": r,
            "quintiles": [(groups.count(q), sum(s for g, s in zip(groups, scores) if g == q)) for q in range(5)],
            "recorded": len(recorded),
            "no_record": journeys.count(None),
            "checks_to_pass": sorted(j["checks_to_pass"] for j in recorded if j["checks_to_pass"] is not None),
            "not_passed": sum(1 for j in recorded if j["checks_to_pass"] is None and j["answered"]),
            "hints": sorted(j["hint"] for j in recorded),
            "solutions": sum(j["solution"] for j in recorded),
            "mistakes": Counter(key for j in recorded for key in j["mistakes"]),
        }
    return expected


def minutes_to_pass(folder: Path, exercise: str, mode: str) -> list[float]:
    """From the handed-in notebooks' outputs, read here: first check of an answer to the first pass."""
    found = []
    for learner in holders(exercise, mode):
        path = folder / learner / f"{notebook_of(exercise)}.ipynb"
        if not path.exists():
            continue
        entries = {}
        for cell in json.loads(path.read_text())["cells"]:
            for output in cell.get("outputs", []):
                for entry in output.get("metadata", {}).get(KEY, {}).get("entries", []):
                    entries[entry["id"]] = entry
        answered = sorted(
            (e["time"], e["result"])
            for e in entries.values()
            if e["exercise"] == exercise and e["action"] == "check" and e["result"] != "not attempted"
        )
        passed = [time for time, result in answered if result == "passed"]
        if passed:
            start, end = (datetime.fromisoformat(t.replace("Z", "+00:00")) for t in (answered[0][0], passed[0]))
            found.append((end - start).total_seconds() / 60)
    return sorted(found)


# -- grading the class, as make grade does -------------------------------------------------------------
@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The class, worked in kernels; ATTEMPT_CLASS=FOLDER reuses one `python tests/attempt_class.py FOLDER`
    made (the kernels take minutes)."""
    if os.environ.get("ATTEMPT_CLASS"):
        return Path(os.environ["ATTEMPT_CLASS"])
    folder = tmp_path_factory.mktemp("class")
    make_class(folder)
    return folder


def run(*command):
    completed = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert completed.returncode == 0, completed.stderr[-3000:]


@pytest.fixture(scope="module")
def graded(folder, tmp_path_factory) -> dict:
    """mode -> OUT. Per notebook as `make grade` runs it (classroom.toml's mode); the course as one with
    the same steps in this process (classroom.toml is the repository's own)."""
    per_notebook = tmp_path_factory.mktemp("per-notebook")
    run("grader", str(folder), "--out", str(per_notebook), "--quiet")
    run("grader.commands.report", str(per_notebook))
    course = tmp_path_factory.mktemp("course")
    room = dataclasses.replace(classroom.load(), mode="course")
    done = grade(room.course(), find_submissions(folder))
    results_json.write_all(done.rows, course, [done.judged])
    report.write_report(json.loads((course / "results.json").read_text()), course)
    return {"per-notebook": per_notebook, "course": course}


def results(out: Path) -> list[dict]:
    return json.loads((out / "results.json").read_text())["submissions"]


def statistics(out: Path) -> dict:
    return {row["exercise"]: row for row in csv.DictReader(io.StringIO((out / "item-statistics.csv").read_text()))}


MODES = ("per-notebook", "course")


@pytest.mark.parametrize("mode", MODES)
def test_the_grader_gives_each_learner_the_verdict_their_last_answer_earns(graded, mode):
    for row in results(graded[mode]):
        learner = row["learner"].removeprefix("file:")
        for test in row["tests"]:
            expected = (
                final(learner, test["name"]) if in_a_handed_in_notebook(learner, test["name"]) else "not attempted"
            )
            assert test["extra_data"]["result"] == expected, (learner, test["name"], test["output"])


@pytest.mark.parametrize("mode", MODES)
def test_each_statistic_is_what_the_plans_and_the_notebooks_say(graded, folder, mode):
    items = {item.exercise: item for item in item_analysis.analyse(results(graded[mode]))}
    expected = expected_items(mode)
    assert set(items) == set(expected)
    for exercise, want in expected.items():
        item = items[exercise]
        assert (item.learners, item.passed) == (want["learners"], want["passed"]), exercise
        if want["discrimination"] is None:
            assert item.discrimination is None and item.why_no_discrimination, exercise
        else:
            assert item.discrimination == pytest.approx(want["discrimination"], abs=1e-9), exercise
        assert [(q.learners, q.passed) for q in item.quintiles] == want["quintiles"], exercise
        assert (item.recorded, item.no_record) == (want["recorded"], want["no_record"]), exercise
        assert sorted(item.checks_to_pass) == want["checks_to_pass"], exercise
        assert item.not_passed_in_record == want["not_passed"], exercise
        assert sorted(item.hints_reached) == want["hints"], exercise
        assert item.solution_opened == want["solutions"], exercise
        assert dict(item.mistakes) == dict(want["mistakes"].most_common(item_analysis.TOP_MISTAKES)), exercise
        assert sorted(item.minutes_to_pass) == pytest.approx(minutes_to_pass(folder, exercise, mode), abs=1e-6)


def test_the_class_is_varied_enough_to_test_every_statistic():
    expected = expected_items("per-notebook")
    assert all(want["discrimination"] is not None for want in expected.values())
    assert {n for want in expected.values() for n in want["checks_to_pass"]} >= {1, 2, 3}
    assert {n for want in expected.values() for n in want["hints"]} == {0, 1, 2, 3}
    assert all(want["mistakes"] and want["no_record"] for want in (expected["get_initializer"], expected["forward"]))
    assert sum(want["not_passed"] for want in expected.values()) >= 3
    assert expected_items("course")["count_words"]["learners"] == 8  # eli handed in no notebook 1


@pytest.mark.parametrize("mode", MODES)
def test_item_statistics_csv_holds_them_each_with_its_n(graded, mode):
    rows = statistics(graded[mode])
    for exercise, want in expected_items(mode).items():
        row = rows[exercise]
        assert int(row["learners"]) == want["learners"] and int(row["passed"]) == want["passed"]
        assert float(row["difficulty_p"]) == pytest.approx(want["passed"] / want["learners"], abs=5e-4)
        if want["discrimination"] is None:
            assert row["discrimination_r"] == "" and row["discrimination_note"]
        else:
            assert float(row["discrimination_r"]) == pytest.approx(want["discrimination"], abs=5e-4)
        for q, (n, passed) in enumerate(want["quintiles"], start=1):
            assert (int(row[f"q{q}_learners"]), int(row[f"q{q}_passed"])) == (n, passed)
        assert int(row["learners_with_record"]) == want["recorded"]
        assert int(row["learners_without_record"]) == want["no_record"]
        assert int(row["passed_in_record"]) == len(want["checks_to_pass"])
        assert int(row["not_passed_in_record"]) == want["not_passed"]
        assert int(row["solution_opened"]) == want["solutions"]
        p = want["passed"] / want["learners"]
        flagged = p > 0.95 or p < 0.30 or (want["discrimination"] is not None and want["discrimination"] < 0.2)
        assert bool(row["flags"]) == flagged, exercise


@pytest.mark.parametrize("mode", MODES)
def test_attempts_csv_has_an_event_per_entry_and_a_submit_per_exercise(graded, mode):
    rows = list(csv.DictReader(io.StringIO((graded[mode] / "attempts.csv").read_text())))
    assert [int(row["EventID"]) for row in rows] == list(range(1, len(rows) + 1))
    for learner in PLANS:
        mine = [row for row in rows if row["SubjectID"] == f"file:{learner}"]
        kinds = Counter(row["EventType"] for row in mine)
        journeys = [journey(learner, ex) for ex in exercises(mode)]
        assert kinds["Run.Test"] == sum(j["checks"] for j in journeys if j)
        assert kinds["Intervention"] == sum(j["hints"] for j in journeys if j)
        assert kinds["Resource.View"] == sum(j["solutions"] for j in journeys if j)
        assert kinds["Submit"] == sum(1 for ex in exercises(mode) if learner in holders(ex, mode))
        assert [int(row["Order"]) for row in mine] == list(range(1, len(mine) + 1))
        timed = [row["ClientTimestamp"] for row in mine if row["EventType"] != "Submit"]
        assert timed == sorted(timed) and all(row["CodeStateID"] == "" for row in mine)


def test_the_report_shows_the_item_analysis_with_its_numbers_and_says_what_is_self_reported(graded):
    page = (graded["per-notebook"] / "report.html").read_text()
    assert "Item analysis" in page and "self-reported" in page and "Flag rule:" in page
    for exercise, want in expected_items("per-notebook").items():
        tries = want["checks_to_pass"]
        bars = [f"{n}: {tries.count(n)}" for n in range(1, 6)]
        bars += [f"6-10: {sum(6 <= n <= 10 for n in tries)}", f"11+: {sum(n >= 11 for n in tries)}"]
        bars += [f"no pass: {want['not_passed']}"]
        shown = f"learners per {exercise}: checks of an answer up to the first pass (n={want['recorded']}). "
        assert shown + "; ".join(bars) + "." in page, exercise
        levels = [f"{'none' if n == 0 else f'level {n}'}: {want['hints'].count(n)}" for n in range(4)]
        shown = f"learners per {exercise}: highest hint level reached (n={want['recorded']}). "
        assert shown + "; ".join(levels) + "." in page, exercise
    assert "secret" not in page and "<script" not in page


def test_a_notebook_whose_record_was_edited_or_removed_is_graded_as_before(graded, folder, tmp_path):
    original = folder / "ben" / "04_time_to_code.ipynb"
    edited, cleared = json.loads(original.read_text()), json.loads(original.read_text())
    parts = [o["metadata"][KEY] for c in edited["cells"] for o in c.get("outputs", []) if KEY in o.get("metadata", {})]
    dropped = parts[0]["entries"][0]["id"]
    for part in parts:  # every check claimed passed, one entry left out everywhere, one forged out of shape
        part["entries"] = [
            {**e, "result": "passed", "mistake": "passed"} if e["action"] == "check" else e
            for e in part["entries"]
            if e["id"] != dropped
        ]
    parts[0]["entries"].append({"id": "zz", "time": "whenever", "exercise": "forward", "action": "check"})
    for cell in cleared["cells"]:
        cell["outputs"] = []
    for name, notebook in (("edited", edited), ("cleared", cleared)):
        (tmp_path / "in" / name).mkdir(parents=True)
        (tmp_path / "in" / name / "04_time_to_code.ipynb").write_text(json.dumps(notebook))
    run("grader", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet")
    before = next(r for r in results(graded["per-notebook"]) if r["submission"] == "ben/04_time_to_code.ipynb")
    rows = {r["learner"]: r for r in results(tmp_path / "out")}
    for learner in ("file:edited", "file:cleared"):
        assert rows[learner]["tests"] == before["tests"] and rows[learner]["score"] == before["score"]
    assert rows["file:cleared"]["record"] is None  # counted as "no record"
    assert rows["file:edited"]["record"]["unreadable"] == 1
    assert all(e["result"] == "passed" for e in rows["file:edited"]["record"]["entries"] if e["action"] == "check")
    assert len(before["record"]["entries"]) == len(rows["file:edited"]["record"]["entries"]) + 1


def test_gradescopes_results_carry_the_record_for_the_instructor(folder, tmp_path):
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "source" / "gradescope_assignment").write_text("04_time_to_code\n")
    (root / "submission").mkdir()
    shutil.copy(folder / "dev" / "04_time_to_code.ipynb", root / "submission" / "mine.ipynb")
    run("grader.commands.gradescope", "--root", str(root))
    document = json.loads((root / "results" / "results.json").read_text())
    carried = document["extra_data"]["record"]
    want = sum(journey("dev", ex)["entries"] for ex in NOTEBOOKS["04_time_to_code"])
    assert len(carried["entries"]) == want and carried["notebooks"] == ["04_time_to_code"]
    assert document["score"] == 0  # dev's last answers are wrong, whatever the record holds
