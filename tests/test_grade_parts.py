"""The grader's parts that need no sandbox: reading submissions, the wire format, the gradebook."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import pickle

import grade_submissions as gs
import nbformat
import numpy as np
import pytest

import checks
from checks import Status
from grader.course import classroom
from grader.outputs import results_json
from grader.outputs.feedback import feedback_markdown
from grader.outputs.gradebook import grades_csv
from grader.outputs.gradescope import results_document
from grader.pipeline import recognise
from grader.pipeline.mark import mark, rejected_result
from grader.pipeline.read import MAX_CODE_BYTES, Notebook, Rejected, parse_notebook, to_python
from grader.results import ExerciseGrade, Judged, SubmissionGrade, Unjudged
from grader.sandbox import protocol
from grader.sandbox.runs import ExerciseRun, Run

COURSE = classroom.load().course()


# -- reading submissions ----------------------------------------------------------------------------
def test_a_notebook_becomes_its_code_cells_in_order():
    notebook = parse_notebook(gs.submission().encode())
    assert isinstance(notebook, Notebook)
    assert notebook.cells[0].source.startswith("from checks.environment import prepare")
    assert [c.number for c in notebook.cells] == list(range(1, len(notebook.cells) + 1))
    assert notebook.cells[1].first_line.startswith("def get_initializer")


def test_ipython_syntax_becomes_python():
    assert to_python("%matplotlib inline") == "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    assert to_python("!pip install x").startswith("get_ipython().system(")
    assert to_python("%%time\nx = 1\n").startswith("get_ipython().run_cell_magic('time'")
    compile(to_python("%%time\nx = 1\n"), "<cell>", "exec")


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"", "empty"),
        (b"\n \n", "empty"),
        (b"\x00\x01\x02\xff\xfe", "binary"),
        (b"hello", "not valid JSON"),
        (b"[1]", "not a Jupyter notebook"),
        (b'{"cells": "no"}', "not a Jupyter notebook"),
        (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
    ],
)
def test_malformed_bytes_are_rejected_with_a_reason(raw, words):
    result = parse_notebook(raw)
    assert isinstance(result, Rejected) and result.status is Unjudged.NOT_A_NOTEBOOK and words in result.message


def test_a_notebook_cut_off_while_saved_or_uploaded_is_told_so():
    whole = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])).encode()
    for cut in (len(whole) // 3, len(whole) - 2):
        result = parse_notebook(whole[:cut])
        assert isinstance(result, Rejected) and "stops in the middle of the notebook" in result.message
        assert "save it, and hand it in again" in result.message
    wrong_character = whole.replace(b'"cells"', b"'cells'", 1)  # broken, not cut off: the JSON message
    assert "not valid JSON (line" in parse_notebook(wrong_character).message


def test_a_file_of_another_kind_is_told_what_it_is_and_what_to_hand_in_not_why_json_failed():
    why = parse_notebook(b"%PDF-1.4 not a notebook")
    pdf = rejected_result("notes.pdf", why, (), "02_initializers")
    assert pdf.message.startswith("This is a PDF, not the notebook. Hand in the notebook file itself, 02_initializers")
    assert "JSON" not in pdf.message
    unknown = rejected_result("notes.weird", why, (), None)  # an ending nobody names: both sentences
    assert "not valid JSON" in unknown.message and "Hand in the notebook files themselves" in unknown.message
    text = feedback_markdown(pdf)
    assert "**Not graded**" in text and "Score" not in text  # no "0 / 0" for a file graded on nothing


def test_more_code_cells_than_the_cap_are_rejected_quickly():
    import time

    # Written as plain JSON: nbformat's own cell makers and writer take 20 s over 60,000 cells.
    cells = [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": f"x = {i}", "outputs": [], "execution_count": 1}
        for i in range(60_000)
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    started = time.monotonic()
    result = parse_notebook(json.dumps(nb).encode())
    assert isinstance(result, Rejected) and "60,000 code cells" in result.message
    assert time.monotonic() - started < 60  # linear: the quadratic version took minutes


def test_stored_outputs_do_not_count_against_the_limits(tmp_path):
    # A correct notebook with 24 MB of plots in it is graded: the limits are on its code.
    import nbformat

    nb = nbformat.reads(gs.submission(), as_version=4)
    picture = base64.b64encode(os.urandom(6 * 2**20)).decode()
    for cell in [c for c in nb.cells if c.cell_type == "code"][:3]:
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": picture, "text/plain": "<Figure>"})]
    raw = nbformat.writes(nb).encode()
    assert len(raw) > 24 * 2**20
    notebook = parse_notebook(raw)
    assert isinstance(notebook, Notebook) and notebook.cells[0].source.startswith("from checks.environment")


def test_too_much_code_is_rejected_saying_so():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1  # " + "y" * (MAX_CODE_BYTES + 10))])
    result = parse_notebook(nbformat.writes(nb).encode())
    assert isinstance(result, Rejected) and "MB of code" in result.message


def test_symbolic_links_and_special_files_are_not_followed(tmp_path):
    from grader.pipeline.read import find_submissions, read_submission

    (tmp_path / "real.ipynb").write_text(gs.submission())
    (tmp_path / "link.ipynb").symlink_to(tmp_path / "real.ipynb")
    (tmp_path / "linked-folder").symlink_to(tmp_path)
    os.mkfifo(tmp_path / "pipe.ipynb")
    found = dict(find_submissions(tmp_path))
    assert set(found) == {"real.ipynb", "link.ipynb", "linked-folder", "pipe.ipynb"}
    assert "symbolic link" in read_submission(found["link.ipynb"]).message
    assert "symbolic link" in read_submission(found["linked-folder"]).message
    assert "not a regular file" in read_submission(found["pipe.ipynb"]).message
    assert isinstance(read_submission(found["real.ipynb"]), Notebook)


# -- the wire format -----------------------------------------------------------------------------------
def frame_body(message) -> bytes:
    return protocol.json_frame(message)[protocol.HEADER.size :]


def test_reports_round_trip_with_arrays_and_tuples():
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    message = {"t": "report", "report": {"observations": [{"shape": (2, 3), "values": values, "ok": np.bool_(True)}]}}
    decoded = protocol.decode_json(frame_body(message))
    observation = decoded["report"]["observations"][0]
    assert observation["shape"] == (2, 3) and observation["ok"] is True
    assert observation["values"].dtype == np.float32 and np.array_equal(observation["values"], values)


def test_a_single_number_keeps_its_shape():
    for value in (np.float32(2.5), np.array(-16), np.array([[1, 2]])):
        decoded = protocol.decode_json(frame_body({"v": np.asarray(value)}))["v"]
        assert decoded.shape == np.asarray(value).shape and np.array_equal(decoded, value)


def test_a_pickle_is_never_unpickled_by_the_grader():
    class Boom:
        def __reduce__(self):
            return (print, ("pwned",))

    with pytest.raises(protocol.ProtocolError):
        protocol.decode_json(pickle.dumps(Boom()))


@pytest.mark.parametrize(
    "array",
    [
        ["|O", [1], base64.b64encode(b"\x00" * 8).decode()],  # object arrays could hold anything
        ["<f4", [10], base64.b64encode(b"\x00" * 8).decode()],  # data shorter than the shape
        ["<f4; import os", [1], ""],
        ["<f4", [-1], ""],
    ],
)
def test_malformed_arrays_are_refused(array):
    body = json.dumps({"t": "report", "report": {"\x00ndarray": array}}).encode()
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_json(body)


def test_oversized_frames_are_refused():
    reader = protocol.FrameReader(limit=100)
    with pytest.raises(protocol.ProtocolError):
        reader.feed(protocol.HEADER.pack(101) + b"x")


def test_unknown_objects_are_sent_as_their_type_name():
    assert protocol.decode_json(frame_body({"x": object()}))["x"] == {"unsupported": "object"}


# -- which notebook a file is ----------------------------------------------------------------------------
def test_a_file_is_recognised_by_what_it_holds_whatever_its_name():
    cells = [cell.source for cell in parse_notebook(gs.submission().encode()).cells]
    assert recognise.notebook_of(COURSE, "Copy of homework (3).ipynb", cells) == "04_time_to_code"
    assert (
        recognise.notebook_of(COURSE, "04_time_to_code.ipynb", ["print('nothing of the course')"]) == "04_time_to_code"
    )
    assert recognise.notebook_of(COURSE, "notes.ipynb", ["print('nothing of the course')"]) is None


@pytest.mark.parametrize("notebook", sorted({ex.notebook for ex in checks.ASSIGNMENT}))
def test_every_notebook_of_the_course_is_recognised_as_itself(notebook):
    import nbformat

    from tools.notebooks import LEARNER

    nb = nbformat.read(LEARNER / f"{notebook}.ipynb", as_version=4)
    cells = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    assert recognise.notebook_of(COURSE, "handed-in.ipynb", cells) == notebook


# -- verdicts from reports -------------------------------------------------------------------------------
@pytest.mark.parametrize("report", [{"observations": []}, {"observations": "nonsense"}])
@pytest.mark.parametrize("exercise", COURSE.names())
def test_a_report_missing_observations_cannot_pass(exercise, report):
    run = Run("forged", cells=[], first_lines={}, exercises={exercise: ExerciseRun(report=report)})
    graded = COURSE.only([exercise])
    result = mark(run, graded.exercises, graded.cases(None), {})  # no expected results: worked out if needed
    tests = {t.name: t for t in result.tests}
    assert result.score == 0
    assert tests[exercise].result is Status.ERROR


# -- the gradebook --------------------------------------------------------------------------------------
def sample_results():
    return [
        SubmissionGrade(
            '=HYPERLINK("x").ipynb',
            None,
            tests=(
                ExerciseGrade("get_initializer", 1.0, 1.0, Status.PASSED, "Correct. Well done."),
                ExerciseGrade("forward", 0.0, 1.0, Status.INCORRECT, "Incorrect. For vocab_size=12 ...\nsecond line"),
            ),
            problems=("Code cell 4 (`x`) raised an error: NameError",),
            assignment="04_time_to_code",
            learner='file:=HYPERLINK("x").ipynb',
        ),
        SubmissionGrade(
            "b.ipynb",
            Unjudged.NOT_A_NOTEBOOK,
            "The file is empty.",
            tests=(
                ExerciseGrade("get_initializer", 0.0, 1.0, Unjudged.NOT_GRADED, "Not graded: The file is empty."),
                ExerciseGrade("forward", 0.0, 1.0, Unjudged.NOT_GRADED, "Not graded: The file is empty."),
            ),
            assignment="04_time_to_code",
            learner="file:b.ipynb",
            late=True,
        ),
    ]


def test_grades_csv_columns_come_from_the_results_and_are_formula_safe():
    rows = list(csv.reader(io.StringIO(grades_csv(sample_results()))))
    assert rows[0] == [
        "submission",
        "learner",
        "assignment",
        "get_initializer",
        "forward",
        "total",
        "max_score",
        "status",
        "late",
        "get_initializer result",
        "forward result",
    ]
    assert rows[1][:8] == [
        '\'=HYPERLINK("x").ipynb',
        'file:=HYPERLINK("x").ipynb',
        "04_time_to_code",
        "1",
        "0",
        "1",
        "2",
        "graded",
    ]
    assert rows[2][7:9] == ["not a notebook", "late"]
    other = SubmissionGrade("c.ipynb", None, tests=(ExerciseGrade("count_words", 1.0, 1.0, Status.PASSED, "ok"),))
    header = next(csv.reader(io.StringIO(grades_csv([other]))))
    assert header[3:5] == ["count_words", "total"]  # nothing from the registry: only what the rows hold


def test_feedback_and_outputs_are_written(tmp_path):
    results = sample_results()
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "stale.md").write_text("from an earlier run, or planted")
    results_json.write_all(results, tmp_path, replace=True)
    files = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert files == ["HYPERLINK_x.md", "b.md"]
    text = (tmp_path / "feedback" / "HYPERLINK_x.md").read_text()
    assert "**Score: 1 / 2**" in text and "> Incorrect. For vocab_size=12 ...\n> second line" in text
    assert "NameError" in text
    data = json.loads((tmp_path / "results.json").read_text())
    assert list(data) == ["submissions"] and data["submissions"][1]["status"] == "not a notebook"
    assert results_json.earlier(tmp_path) == results  # what is written reads back as it was


def test_a_regrade_of_one_file_keeps_every_other_result(tmp_path):
    results = sample_results()
    results_json.write_all(results, tmp_path)
    again = SubmissionGrade(
        "b.ipynb",
        None,
        tests=(
            ExerciseGrade("get_initializer", 1.0, 1.0, Status.PASSED, "Correct."),
            ExerciseGrade("forward", 1.0, 1.0, Status.PASSED, "Correct."),
        ),
        assignment="04_time_to_code",
        learner="file:b.ipynb",
    )
    kept = results_json.write_all([again], tmp_path)
    assert kept == 1
    rows = {row.submission: row for row in results_json.earlier(tmp_path)}
    assert rows == {results[0].submission: results[0], "b.ipynb": again}
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == ["HYPERLINK_x.md", "b.md"]
    assert "**Score: 2 / 2**" in (tmp_path / "feedback" / "b.md").read_text()
    assert len(list(csv.reader(io.StringIO((tmp_path / "grades.csv").read_text())))) == 3
    results_json.write_all([again], tmp_path, replace=True)
    assert [row.submission for row in results_json.earlier(tmp_path)] == ["b.ipynb"]


BUBBLEWRAP = "Sandbox: bubblewrap, one per worker; memory bounded by a cgroup per worker."


def test_results_json_says_how_every_run_merged_into_it_judged_not_only_the_last(tmp_path):
    hidden = Judged(True, {"forward": (3, 20)}, BUBBLEWRAP)
    results_json.write_all(sample_results()[:1], tmp_path, [Judged(False, {"get_initializer": (5, 0)}, BUBBLEWRAP)])
    results_json.write_all(sample_results()[1:], tmp_path, [hidden])
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["cases"] == (
        "Judged on public and hidden cases (drawn from the secret): forward 3 + 20 hidden. Also: Judged on public "
        "cases only (no secret given: --secret-file or GRADE_SECRET adds hidden ones): get_initializer 5."
    )
    assert data["sandbox"] == BUBBLEWRAP and len(data["runs"]) == 2
    # runs alike are one, their exercises together in course order: as one run over all the files says it
    unsafe = "WARNING: graded WITHOUT a sandbox"
    results_json.write_all([], tmp_path, [Judged(True, {"get_initializer": (5, 20)}, BUBBLEWRAP)])
    results_json.write_all([], tmp_path, [Judged(True, {}, unsafe)])  # judged nothing: says nothing of how
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["cases"].startswith(
        "Judged on public and hidden cases (drawn from the secret): get_initializer 5 + 20 hidden, forward 3 + 20 "
        "hidden. Also: Judged on public cases only"
    )
    assert unsafe not in data["sandbox"]
    results_json.write_all([], tmp_path, [hidden], replace=True)
    assert json.loads((tmp_path / "results.json").read_text())["runs"] == [hidden.to_json()]


def test_a_copy_handed_in_to_another_assignment_never_replaces_one_handed_in_to_its_own(tmp_path):
    from dataclasses import replace

    own = replace(sample_results()[0], submission="kim_03.ipynb", learner="canvas:7", assignment="03_embedding_lookup")
    results_json.write_all([own], tmp_path)
    misfiled = replace(own, submission="kim_in_02.ipynb", handed_in_to="02_initializers")
    assert misfiled.misfiled and not own.misfiled
    results_json.write_all([misfiled], tmp_path)
    assert [row.submission for row in results_json.earlier(tmp_path)] == ["kim_03.ipynb"]
    # the other way round, the copy handed in to its own assignment replaces the misfiled one
    results_json.write_all([misfiled], tmp_path, replace=True)
    results_json.write_all([replace(own, handed_in_to="03_embedding_lookup")], tmp_path)
    assert [row.submission for row in results_json.earlier(tmp_path)] == ["kim_03.ipynb"]


def test_rows_are_written_in_the_order_of_their_submissions_names_whatever_order_they_came_in(tmp_path):
    rows = sample_results()
    results_json.write_all(rows[::-1], tmp_path / "a")
    results_json.write_all(rows, tmp_path / "b")
    for name in ("results.json", "grades.csv", "attempts.csv", "item-statistics.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_grader_writes_no_file_through_a_link(tmp_path):
    from grader.files import write_text

    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    (tmp_path / "results.json").symlink_to(target)
    (tmp_path / ".grades.csv.tmp").symlink_to(target)
    results_json.write_all(sample_results(), tmp_path)
    write_text(tmp_path / "grades.csv", "x")
    assert target.read_text() == "keep me" and not (tmp_path / "results.json").is_symlink()


def test_partial_credit_groups_and_the_mistake_are_reported():
    groups = list(dict.fromkeys(c["group"] for c in checks.forward.public_cases()))
    forward = ExerciseGrade(
        "forward",
        0.5,
        1.0,
        Status.INCORRECT,
        "Incorrect. Flattened.",
        "flattened-ids",
        tuple((g, i == 0) for i, g in enumerate(groups)),
    )
    result = SubmissionGrade(
        "a.ipynb",
        None,
        tests=(ExerciseGrade("get_initializer", 1.0, 1.0, Status.PASSED, "Correct. Well done."), forward),
    )
    rows = list(csv.reader(io.StringIO(grades_csv([result]))))
    assert rows[0][-len(groups) :] == [f"forward: {g}" for g in groups]
    assert rows[1][-len(groups) :] == ["right"] + ["wrong"] * (len(groups) - 1)
    test = results_json.test_json(forward)
    assert test["extra_data"]["mistake"] == "flattened-ids" and test["extra_data"]["groups"][groups[0]] is True
    assert results_json.test_json(result.tests[0])["extra_data"]["mistake"] == "passed"
    text = feedback_markdown(result)
    assert f"- right: {groups[0]}" in text and f"- not yet right: {groups[1]}" in text


def test_gradescope_document_shape():
    document = results_document(sample_results()[0], 3.4)
    assert document["score"] == 1.0 and document["execution_time"] == 3
    assert {t["status"] for t in document["tests"]} == {"passed", "failed"}
    assert "Code cell 4" in document["output"]
    assert {t["output_format"] for t in document["tests"]} == {"md"}


# -- the package boundary -------------------------------------------------------------------------------
def test_the_sandbox_imports_nothing_of_the_course():
    import ast
    from pathlib import Path

    sandbox = Path(__file__).resolve().parent.parent / "grader" / "sandbox"
    for path in sandbox.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith(("checks", "grader.course", "grader.pipeline", "grader.outputs")), (
                    f"{path.name} imports {name}"
                )


def test_importing_checks_loads_no_grader_module():
    import subprocess
    import sys

    code = (
        "import sys, checks, checks.environment; print(sorted(m for m in sys.modules if m.split('.')[0] == 'grader'))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


# -- learners, not files -----------------------------------------------------------------------------------
def recognised(tmp_path, files: dict, mode: str = "per-notebook", course=COURSE, **said):
    """Each unit the files make, by (learner, assignment); ``said``: what the instructor says
    (``handed_in_to``, ``learner``, ``shard``)."""
    from dataclasses import replace

    from grader.pipeline.batch import run
    from grader.pipeline.progress import Quiet
    from grader.pipeline.read import Read
    from grader.pipeline.recognise import Recognise

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    course = replace(course, per_notebook=mode == "per-notebook")
    submissions = [(name, tmp_path / name) for name in files]
    said = {"handed_in_to": None, "learner": None, "shard": None, **said}
    units = run((Read, Recognise), course=course, submissions=submissions, progress=Quiet(), **said)["units"]
    return {(unit.learner, unit.assignment): unit for unit in units}


def test_a_learners_newest_copy_is_graded_and_the_others_set_aside(tmp_path):
    from tools.notebooks import LEARNER

    first = LEARNER.joinpath("01_creating_variables.ipynb").read_text()
    units = recognised(
        tmp_path,
        {
            "doejane_12_300_04_time_to_code.ipynb": gs.submission(),
            "doejane_LATE_12_345_04_time_to_code-1.ipynb": gs.submission(),  # handed in again, late
            "doejane_12_346_notes.pdf": "%PDF-1.4 not a notebook",
            "roejohn_13_310_04_time_to_code.ipynb": gs.submission(),
            "roejohn_13_311_01_creating_variables.ipynb": first,
        },
    )
    assert set(units) == {
        ("canvas:12", "04_time_to_code"),
        ("canvas:13", "04_time_to_code"),
        ("canvas:13", "01_creating_variables"),
    }
    jane = units[("canvas:12", "04_time_to_code")]
    assert list(jane.files.values()) == ["doejane_LATE_12_345_04_time_to_code-1.ipynb"] and jane.late
    assert sorted(jane.set_aside) == ["doejane_12_300_04_time_to_code.ipynb", "doejane_12_346_notes.pdf"]


def test_with_the_course_as_one_assignment_a_learners_notebooks_are_graded_together(tmp_path):
    from tools.notebooks import LEARNER

    units = recognised(
        tmp_path,
        {
            "alice/04_time_to_code.ipynb": gs.submission(),
            "alice/01_creating_variables.ipynb": LEARNER.joinpath("01_creating_variables.ipynb").read_text(),
            "bob/04_time_to_code.ipynb": gs.submission(),
        },
        mode="course",
    )
    assert set(units) == {("file:alice", "course"), ("file:bob", "course")}
    assert units[("file:alice", "course")].files == {
        "04_time_to_code": "alice/04_time_to_code.ipynb",
        "01_creating_variables": "alice/01_creating_variables.ipynb",
    }


def test_a_file_whose_content_shows_the_notebook_beats_one_only_taken_for_it(tmp_path):
    # An autograder of notebook 5 (a course of that one notebook): a copy of notebook 4 beside the
    # learner's notebook 5 must not be graded in its place, whatever the order of their names.
    from tools.notebooks import SOLUTIONS

    only_05 = COURSE.only(ex.name for ex in COURSE.in_notebook("05_training"))
    units = recognised(
        tmp_path,
        {
            "submission/a.ipynb": SOLUTIONS.joinpath("05_training.ipynb").read_text(),
            "submission/b.ipynb": gs.submission(),
        },
        course=only_05,
    )
    (unit,) = units.values()
    assert list(unit.files.values()) == ["submission/a.ipynb"] and unit.set_aside == ["submission/b.ipynb"]


def test_what_the_instructor_says_decides_what_the_file_names_cannot(tmp_path):
    from grader.pipeline.shard import Shard

    files = {
        "alice/04.ipynb": gs.submission(),
        "alice/broken.ipynb": "{not json",
        "bob/04.ipynb": gs.submission(),
        "carol/a.ipynb": gs.submission(),
        "carol/b.ipynb": "{not json",
    }
    # a file that shows no notebook is taken for the notebook whose assignment the download is
    units = recognised(tmp_path / "a", files, handed_in_to="04_time_to_code")
    assert {unit.handed_in_to for unit in units.values()} == {"04_time_to_code"}
    assert units[("file:carol", "04_time_to_code")].set_aside == ["carol/b.ipynb"]
    # every file is the named learner's
    units = recognised(tmp_path / "b", files, learner="canvas:4102")
    assert list(units) == [("canvas:4102", "04_time_to_code")]
    # each shard keeps a run of whole learners, in the order of their files, and the shards cover the class
    kept = [set(recognised(tmp_path / f"s{i}", files, shard=Shard(i, 2))) for i in range(2)]
    assert kept == [
        {("file:alice", "04_time_to_code"), ("file:bob", "04_time_to_code")},
        {("file:carol", "04_time_to_code")},
    ]
    assert set(recognised(tmp_path / "all", files)) == kept[0] | kept[1]
    assert Shard.parse(" 2/3 ") == Shard(2, 3) and str(Shard(2, 3)) == "2/3"
    for wrong in ("3/3", "1", "-1/3", "0/0"):
        with pytest.raises(ValueError, match="--shard takes i/N"):
            Shard.parse(wrong)


def test_the_checks_and_the_grader_read_the_instructors_secret_alike(monkeypatch):
    import argparse

    from checks.environment import SECRET_VARIABLE, grading_secret
    from grader.commands.grade import _secret

    monkeypatch.setenv(SECRET_VARIABLE, "  autumn-term\n")  # as `export GRADE_SECRET=$(cat file)` may leave it
    assert grading_secret() == _secret(argparse.Namespace(secret_file=None)) == "autumn-term"
    monkeypatch.setenv(SECRET_VARIABLE, " \n")
    assert grading_secret() is None and _secret(argparse.Namespace(secret_file=None)) is None
