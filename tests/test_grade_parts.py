"""The grader's parts that need no sandbox: reading submissions, the wire format, the gradebook."""
from __future__ import annotations

import base64
import csv
import io
import json
import pickle

import numpy as np
import pytest

import grade_submissions as gs
from checks.grade import gradebook, protocol
from checks.grade.grading import SubmissionResult, ExerciseResult, judge
from checks.grade.notebook_code import Notebook, Rejected, parse_notebook, to_python
from checks.grade.sandbox import ExerciseRun, Run


# -- reading submissions ----------------------------------------------------------------------------
def test_a_notebook_becomes_its_code_cells_in_order():
    notebook = parse_notebook(gs.submission().encode())
    assert isinstance(notebook, Notebook)
    assert notebook.cells[0].source.startswith("from checks.environment import prepare")
    assert [c.number for c in notebook.cells] == list(range(1, len(notebook.cells) + 1))
    assert "check" in notebook.cells[2].tags and notebook.cells[1].first_line.startswith("def get_initializer")


def test_ipython_syntax_becomes_python():
    assert to_python("%matplotlib inline") == "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    assert to_python("!pip install x").startswith("get_ipython().system(")
    assert to_python("%%time\nx = 1\n").startswith("get_ipython().run_cell_magic('time'")
    compile(to_python("%%time\nx = 1\n"), "<cell>", "exec")


@pytest.mark.parametrize("raw, words", [
    (b"", "empty"), (b"\n \n", "empty"), (b"\x00\x01\x02\xff\xfe", "binary"), (b"hello", "not valid JSON"),
    (b"[1]", "not a Jupyter notebook"), (b'{"cells": "no"}', "not a Jupyter notebook"),
    (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
])
def test_malformed_bytes_are_rejected_with_a_reason(raw, words):
    result = parse_notebook(raw)
    assert isinstance(result, Rejected) and result.status == "not a notebook" and words in result.message


# -- the wire format -----------------------------------------------------------------------------------
def frame_body(message) -> bytes:
    return protocol.json_frame(message)[protocol.HEADER.size:]


def test_reports_round_trip_with_arrays_and_tuples():
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    message = {"t": "report", "report": {"observations": [{"shape": (2, 3), "values": values, "ok": np.bool_(True)}]}}
    decoded = protocol.decode_json(frame_body(message))
    observation = decoded["report"]["observations"][0]
    assert observation["shape"] == (2, 3) and observation["ok"] is True
    assert observation["values"].dtype == np.float32 and np.array_equal(observation["values"], values)


def test_a_pickle_is_never_unpickled_by_the_grader():
    class Boom:
        def __reduce__(self):
            return (print, ("pwned",))
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_json(pickle.dumps(Boom()))


@pytest.mark.parametrize("array", [
    ["|O", [1], base64.b64encode(b"\x00" * 8).decode()],          # object arrays could hold anything
    ["<f4", [10], base64.b64encode(b"\x00" * 8).decode()],        # data shorter than the shape
    ["<f4; import os", [1], ""],
    ["<f4", [-1], ""],
])
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


# -- verdicts from reports -------------------------------------------------------------------------------
def test_a_report_missing_observations_cannot_pass():
    import checks
    cases = {ex.name: ex.cases() for ex in checks.GRADED}
    run = Run("forged", cells=[], first_lines={},
              exercises={"get_initializer": ExerciseRun(report={"observations": []}),
                         "forward": ExerciseRun(report={"observations": "nonsense"})})
    result = judge(run, cases)
    assert result.score == 0
    assert [t.result for t in result.tests] == ["error", "error"]


# -- the gradebook --------------------------------------------------------------------------------------
def sample_results():
    return [
        SubmissionResult("=HYPERLINK(\"x\").ipynb", "graded", tests=[
            ExerciseResult("get_initializer", 1.0, 1.0, "passed", "Correct. Well done."),
            ExerciseResult("forward", 0.0, 1.0, "incorrect", "Incorrect. For vocab_size=12 ...\nsecond line")],
            problems=["Code cell 4 (`x`) raised an error: NameError"]),
        SubmissionResult("b.ipynb", "not a notebook", "The file is empty.", tests=[
            ExerciseResult("get_initializer", 0.0, 1.0, "not graded", "Not graded: The file is empty."),
            ExerciseResult("forward", 0.0, 1.0, "not graded", "Not graded: The file is empty.")]),
    ]


def test_grades_csv_columns_and_formula_safety():
    rows = list(csv.reader(io.StringIO(gradebook.grades_csv(sample_results()))))
    assert rows[0] == ["submission", "get_initializer", "forward", "total", "max_score", "status",
                       "get_initializer result", "forward result"]
    assert rows[1][:6] == ["'=HYPERLINK(\"x\").ipynb", "1", "0", "1", "2", "graded"]
    assert rows[2][5] == "not a notebook"


def test_feedback_and_outputs_are_written(tmp_path):
    results = sample_results()
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "stale.md").write_text("from an earlier run, or planted")
    gradebook.write_all(results, tmp_path)
    files = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert files == ["HYPERLINK_x.md", "b.md"]
    text = (tmp_path / "feedback" / "HYPERLINK_x.md").read_text()
    assert "**Score: 1 / 2**" in text and "> Incorrect. For vocab_size=12 ...\n> second line" in text
    assert "NameError" in text
    data = json.loads((tmp_path / "results.json").read_text())
    assert list(data) == ["submissions"] and data["submissions"][1]["status"] == "not a notebook"


def test_gradescope_document_shape():
    document = gradebook.gradescope_results(sample_results()[0], 3.4)
    assert document["score"] == 1.0 and document["execution_time"] == 3
    assert {t["status"] for t in document["tests"]} == {"passed", "failed"}
    assert "Code cell 4" in document["output"]


# -- hiding folders from sandboxes ------------------------------------------------------------------------
def test_folders_to_hide_skip_nested_missing_and_needed_ones(tmp_path):
    from checks.grade.hiding import folders_to_hide
    outer, inner, needed = tmp_path / "subs", tmp_path / "subs" / "alice", tmp_path / "venv"
    for folder in (inner, needed / "lib"):
        folder.mkdir(parents=True)
    chosen = folders_to_hide([str(inner), str(outer), str(tmp_path / "missing"), str(tmp_path), "/"],
                             keep=[str(needed / "lib")])
    assert chosen == [str(outer.resolve())]
