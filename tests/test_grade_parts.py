"""The grader's parts that need no sandbox: reading submissions, the wire format, the gradebook."""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import pickle

import numpy as np
import pytest

import grade_submissions as gs
from grader import assignment, outputs
from grader.gradescope import results_document
from grader.results import ExerciseResult, Result, SubmissionResult
from grader.sandbox import protocol
from grader.sandbox.attempt import ExerciseRun, Run
from grader.submissions import Notebook, Rejected, parse_notebook, to_python
from grader.verdicts import judge


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


@pytest.mark.parametrize("raw, words", [
    (b"", "empty"), (b"\n \n", "empty"), (b"\x00\x01\x02\xff\xfe", "binary"), (b"hello", "not valid JSON"),
    (b"[1]", "not a Jupyter notebook"), (b'{"cells": "no"}', "not a Jupyter notebook"),
    (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
])
def test_malformed_bytes_are_rejected_with_a_reason(raw, words):
    result = parse_notebook(raw)
    assert isinstance(result, Rejected) and result.status == "not a notebook" and words in result.message


def test_more_code_cells_than_the_cap_are_rejected_quickly():
    import time
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {i}") for i in range(60_000)])
    started = time.monotonic()
    result = parse_notebook(nbformat.writes(nb).encode())
    assert isinstance(result, Rejected) and "60,000 code cells" in result.message
    assert time.monotonic() - started < 60  # linear: the quadratic version took minutes


def test_symbolic_links_and_special_files_are_not_followed(tmp_path):
    from grader.submissions import find_submissions, read_submission
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
@pytest.mark.parametrize("report", [{"observations": []}, {"observations": "nonsense"}])
@pytest.mark.parametrize("exercise", assignment.names())
def test_a_report_missing_observations_cannot_pass(exercise, report):
    run = Run("forged", cells=[], first_lines={}, exercises={exercise: ExerciseRun(report=report)})
    result = judge(run, assignment.all_cases(None))
    tests = {t.name: t for t in result.tests}
    assert result.score == 0
    assert tests[exercise].result == "error"


# -- the gradebook --------------------------------------------------------------------------------------
def sample_results():
    return [
        SubmissionResult("=HYPERLINK(\"x\").ipynb", Result.JUDGED, tests=(
            ExerciseResult("get_initializer", 1.0, 1.0, Result.PASSED, "Correct. Well done."),
            ExerciseResult("forward", 0.0, 1.0, Result.INCORRECT, "Incorrect. For vocab_size=12 ...\nsecond line")),
            problems=("Code cell 4 (`x`) raised an error: NameError",)),
        SubmissionResult("b.ipynb", Result.NOT_A_NOTEBOOK, "The file is empty.", tests=(
            ExerciseResult("get_initializer", 0.0, 1.0, Result.NOT_GRADED, "Not graded: The file is empty."),
            ExerciseResult("forward", 0.0, 1.0, Result.NOT_GRADED, "Not graded: The file is empty."))),
    ]


def test_grades_csv_columns_and_formula_safety():
    rows = list(csv.reader(io.StringIO(outputs.grades_csv(sample_results()))))
    assert rows[0] == ["submission", "get_initializer", "forward", "total", "max_score", "status",
                       "get_initializer result", "forward result"]
    assert rows[1][:6] == ["'=HYPERLINK(\"x\").ipynb", "1", "0", "1", "2", "graded"]
    assert rows[2][5] == "not a notebook"


def test_feedback_and_outputs_are_written(tmp_path):
    results = sample_results()
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "stale.md").write_text("from an earlier run, or planted")
    outputs.write_all(results, tmp_path)
    files = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert files == ["HYPERLINK_x.md", "b.md"]
    text = (tmp_path / "feedback" / "HYPERLINK_x.md").read_text()
    assert "**Score: 1 / 2**" in text and "> Incorrect. For vocab_size=12 ...\n> second line" in text
    assert "NameError" in text
    data = json.loads((tmp_path / "results.json").read_text())
    assert list(data) == ["submissions"] and data["submissions"][1]["status"] == "not a notebook"


def test_partial_credit_groups_and_the_mistake_are_reported(tmp_path, monkeypatch):
    import checks

    monkeypatch.setattr(checks.forward, "partial_credit", True)
    groups = list(dict.fromkeys(c["group"] for c in checks.forward.public_cases()))
    forward = ExerciseResult("forward", 0.5, 1.0, Result.INCORRECT, "Incorrect. Flattened.", "flattened-ids",
                             tuple((g, i == 0) for i, g in enumerate(groups)))
    result = SubmissionResult("a.ipynb", Result.JUDGED, tests=(
        ExerciseResult("get_initializer", 1.0, 1.0, Result.PASSED, "Correct. Well done."), forward))
    rows = list(csv.reader(io.StringIO(outputs.grades_csv([result]))))
    assert rows[0][-len(groups):] == [f"forward: {g}" for g in groups]
    assert rows[1][-len(groups):] == ["right"] + ["wrong"] * (len(groups) - 1)
    test = outputs.test_json(forward)
    assert test["extra_data"]["mistake"] == "flattened-ids" and test["extra_data"]["groups"][groups[0]] is True
    assert outputs.test_json(result.tests[0])["extra_data"]["mistake"] == "passed"
    text = outputs.feedback_markdown(result)
    assert f"- right: {groups[0]}" in text and f"- not yet right: {groups[1]}" in text


def test_gradescope_document_shape():
    document = results_document(sample_results()[0], 3.4)
    assert document["score"] == 1.0 and document["execution_time"] == 3
    assert {t["status"] for t in document["tests"]} == {"passed", "failed"}
    assert "Code cell 4" in document["output"]
    assert {t["output_format"] for t in document["tests"]} == {"md"}


# -- the package boundary -------------------------------------------------------------------------------
def test_importing_checks_loads_no_grader_module():
    import subprocess
    import sys
    code = "import sys, checks, checks.environment; print(sorted(m for m in sys.modules if m.split('.')[0] == 'grader'))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
