"""The attempt record (checks/record.py) as learners meet it: real kernels, driven by nbclient, run the
check, hint and solution calls; a cell run again replaces its output; a restarted kernel reads the
record back where the front end says where the notebook is (JupyterLab's JPY_SESSION_NAME, Colab's
live notebook, here a stand-in for Colab's channel), and cannot where none does; nothing is kept
while grading. Then what the record is made of, read back from anything a notebook may hold."""

from __future__ import annotations

import copy
import json
import os
import secrets
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from jupyter_client import BlockingKernelClient
from nbclient import NotebookClient

import checks
from checks import record
from tools import notebooks as tool

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attempt_class import answer, answer_source, layout  # noqa: E402

WRONG = answer_source(checks.get_initializer, answer("get_initializer", "shape_swapped"))
RIGHT = answer_source(checks.get_initializer, answer("get_initializer", "canonical"))
ANSWER, CHECK, HELP = layout("04_time_to_code")[1]["get_initializer"]


def learner_notebook() -> nbformat.NotebookNode:
    return layout("04_time_to_code")[0]


def run(nb, cells: list, folder: Path, env: dict | None = None, sources: dict | None = None) -> None:
    """Run ``cells`` (indices) of ``nb`` in a new kernel, as a learner runs cells one by one; ``sources``
    rewrites a cell before the run that reaches it: {position in ``cells``: (cell, source)}."""
    client = NotebookClient(nb, timeout=600, startup_timeout=600, kernel_name="embedding-matrix", allow_errors=True)
    with client.setup_kernel(env={**os.environ, **(env or {})}, cwd=str(folder)):
        for position, index in enumerate(cells):
            if sources and position in sources:
                cell, source = sources[position]
                nb.cells[cell].source = source
            client.execute_cell(nb.cells[index], index)


def entries(nb) -> list[dict]:
    found = record.read_record(json.loads(nbformat.writes(nb)))
    return [] if found is None else found["entries"]


def summary(nb) -> list[tuple]:
    return [(e["action"], e["result"], e["mistake"], e["hint"]) for e in entries(nb)]


def texts(cell) -> list[str]:
    return [output.get("data", {}).get("text/plain", "") for output in cell.outputs]


@pytest.mark.slow(minutes=2)
def test_each_check_hint_and_solution_adds_an_entry_and_running_a_cell_again_keeps_them(tmp_path):
    nb = learner_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("checks.attempts()"))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from checks.exercise import silenced\nwith silenced():\n    checks.get_initializer.check(get_initializer)"
        )
    )
    last = len(nb.cells) - 1
    hint, solution = "checks.get_initializer.hint()", "checks.get_initializer.solution()"
    order = [1, 2, ANSWER, CHECK, ANSWER, CHECK, HELP, HELP, ANSWER, CHECK, HELP, last - 1, last]
    run(nb, order, tmp_path, sources={4: (ANSWER, WRONG), 6: (HELP, hint), 8: (ANSWER, RIGHT), 10: (HELP, solution)})
    assert summary(nb) == [
        ("check", "not attempted", "not-attempted", 0),  # the placeholder's check: kept, and no attempt
        ("check", "incorrect", "swapped-shape", 0),
        ("hint", None, None, 1),
        ("hint", None, None, 2),
        ("check", "passed", "passed", 2),  # the level reached so far
        ("solution", None, None, 2),
    ]
    check_cell = nb.cells[CHECK]
    # the check cell ran three times: its one output now carries the exercise's every entry up to its last run
    (carried,) = [o for o in check_cell.outputs if record.RECORD_KEY in o.get("metadata", {})]
    assert [e["action"] for e in carried["metadata"][record.RECORD_KEY]["entries"]] == [
        "check",
        "check",
        "hint",
        "hint",
        "check",
    ]
    line = texts(check_cell)[-1]
    assert line.startswith("Attempt record: this notebook's outputs keep the time, result and mistake of this check")
    assert "never changes your grade" in line and "checks.attempts()" in line
    html = check_cell.outputs[-1]["data"]["text/html"]
    assert "<code>checks.attempts()</code>" in html and "#424242" in html  # grey at 10:1 on white
    assert "that you opened the solution, and when" in texts(nb.cells[HELP])[-1]
    shown = nb.cells[last - 1].outputs[0]
    assert "6 entries" in shown["data"]["text/plain"] and "self-reported" in shown["data"]["text/plain"]
    assert "could not find the notebook's file" in shown["data"]["text/plain"]  # nbclient tells no path
    assert (
        '<th scope="col">mistake</th>' in shown["data"]["text/html"] and "swapped-shape" in shown["data"]["text/html"]
    )
    assert nb.cells[last].outputs == []  # silenced, as the grader runs a submission: nothing shown or kept
    assert all(e["variant"] is None and e["exercise"] == "get_initializer" for e in entries(nb))
    times = [e["time"] for e in entries(nb)]
    assert times == sorted(times) and len({e["id"] for e in entries(nb)}) == 6


@pytest.mark.slow
def test_a_restarted_kernel_reads_the_record_back_where_jupyterlab_says_the_notebook_is(tmp_path):
    nb = learner_notebook()
    run(nb, [1, 2, ANSWER, CHECK], tmp_path, sources={2: (ANSWER, WRONG)})
    saved = tmp_path / "04_time_to_code.ipynb"
    saved.write_text(nbformat.writes(nb))  # the learner saves, then restarts the kernel
    without_path = copy.deepcopy(nb)
    run(nb, [1, 2, ANSWER, CHECK], tmp_path, env={"JPY_SESSION_NAME": str(saved)}, sources={2: (ANSWER, RIGHT)})
    assert summary(nb) == [("check", "incorrect", "swapped-shape", 0), ("check", "passed", "passed", 0)]
    # where no front end says where the notebook is, the cell run again replaces what it showed before
    run(without_path, [1, 2, ANSWER, CHECK], tmp_path, sources={2: (ANSWER, RIGHT)})
    assert summary(without_path) == [("check", "passed", "passed", 0)]


@pytest.mark.slow
def test_jupyter_server_tells_a_notebooks_kernel_where_the_notebook_is_and_the_kernel_reads_it_back(tmp_path):
    # What JupyterLab does when it opens a notebook (a session through Jupyter Server's REST API), without a
    # browser: the kernel it starts finds the saved notebook's record.
    nb = learner_notebook()
    run(nb, [1, 2, ANSWER, CHECK], tmp_path, sources={2: (ANSWER, WRONG)})
    (tmp_path / "mine.ipynb").write_text(nbformat.writes(nb))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token, runtime = secrets.token_hex(16), tmp_path / "runtime"
    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1"]
    command += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    command += [f"--ServerApp.root_dir={tmp_path}", "--ServerApp.allow_root=True"]
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime))
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def api(method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    shown, session = [], None
    try:
        for _ in range(200):
            try:
                api("GET", "status")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        asked = {"path": "mine.ipynb", "name": "mine.ipynb", "type": "notebook", "kernel": {"name": "embedding-matrix"}}
        session = api("POST", "sessions", asked)
        connection = runtime / f"kernel-{session['kernel']['id']}.json"
        for _ in range(200):
            if connection.exists():
                break
            time.sleep(0.3)
        client = BlockingKernelClient(connection_file=str(connection))
        client.load_connection_file()
        client.start_channels(hb=False)  # a busy machine misses heartbeats; the kernel's reply is what counts
        try:
            client.wait_for_ready(timeout=300)
            code = "import checks\nchecks.attempts()"
            reply = client.execute_interactive(code, timeout=300, output_hook=shown.append)
            assert reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
    finally:
        if session is not None:
            api("DELETE", f"sessions/{session['id']}")  # the kernel is shut down with its session
        server.terminate()
        server.wait(timeout=60)
    (display,) = [m["content"]["data"]["text/plain"] for m in shown if m["msg_type"] == "display_data"]
    assert f"read back from {tmp_path / 'mine.ipynb'}" in display and "swapped-shape" in display


@pytest.mark.slow
def test_a_restarted_kernel_in_colab_reads_the_record_back_from_the_notebook_colab_has_open(tmp_path):
    nb = learner_notebook()
    run(nb, [1, 2, ANSWER, CHECK], tmp_path, sources={2: (ANSWER, WRONG)})
    live = tmp_path / "live.ipynb"  # what Colab's front end holds, unsaved or not
    live.write_text(nbformat.writes(nb))
    colab = tmp_path / "fake" / "google" / "colab"  # a stand-in for Colab's private channel to the front end
    colab.mkdir(parents=True)  # google/ stays a namespace package: TensorFlow's protobuf is google.protobuf
    (colab / "__init__.py").write_text("")
    (colab / "_message.py").write_text(
        textwrap.dedent(
            """\
            import json, os

            def blocking_request(request_type, request="", timeout_sec=5):
                assert request_type == "get_ipynb"
                with open(os.environ["LIVE_NOTEBOOK"]) as live:
                    return {"ipynb": json.load(live)}
            """
        )
    )
    nb.cells[1].source = "import google.colab\n" + nb.cells[1].source  # Colab's kernel has it from the start
    env = {"PYTHONPATH": str(tmp_path / "fake"), "LIVE_NOTEBOOK": str(live)}
    run(nb, [1, 2, ANSWER, CHECK], tmp_path, env=env, sources={2: (ANSWER, RIGHT)})
    assert summary(nb) == [("check", "incorrect", "swapped-shape", 0), ("check", "passed", "passed", 0)]


@pytest.mark.slow
def test_a_check_cell_run_with_the_instructors_secret_keeps_nothing(tmp_path):
    nb = learner_notebook()
    run(nb, [1, 2, ANSWER, CHECK], tmp_path, env={"GRADE_SECRET": "autumn"}, sources={2: (ANSWER, RIGHT)})
    assert "Correct" in texts(nb.cells[CHECK])[0]  # nbgrader's autograde: the check runs ...
    assert record.read_record(json.loads(nbformat.writes(nb))) is None  # ... and the record gets nothing


# -- reading a record, whatever a notebook holds ---------------------------------------------------------
def entry(**changes) -> dict:
    made = {
        "id": "0123456789abcdef",
        "time": "2025-03-04T10:11:12.345Z",
        "exercise": "forward",
        "variant": None,
        "action": "check",
        "result": "incorrect",
        "mistake": "returns-none",
        "hint": 1,
    }
    return {**made, **changes}


def notebook_with(*parts) -> dict:
    outputs = [{"output_type": "display_data", "data": {}, "metadata": {record.RECORD_KEY: part}} for part in parts]
    return {"cells": [{"cell_type": "code", "source": "", "outputs": outputs}]}


def test_the_record_is_every_outputs_entries_once_each_oldest_first():
    later = entry(id="fedcba9876543210", time="2025-03-04T10:20:00.000Z", result="passed", mistake="passed")
    found = record.read_record(notebook_with({"entries": [later, entry()]}, {"entries": [entry()]}))
    assert found == {"entries": [entry(), later], "unreadable": 0}


def test_a_notebook_without_a_record_has_none_and_an_empty_record_is_still_one():
    assert record.read_record({"cells": [{"cell_type": "code", "outputs": [{"output_type": "stream"}]}]}) is None
    assert record.read_record({"cells": []}) is None
    assert record.read_record(notebook_with({"format": 1, "entries": []})) == {"entries": [], "unreadable": 0}


@pytest.mark.parametrize(
    "bad",
    [
        "not an entry",
        entry(id="NOT-HEX"),
        entry(time="yesterday"),
        entry(time="2025-02-30T10:11:12Z"),  # no such day
        entry(time="1999-03-04T10:11:12Z"),  # before the course
        entry(exercise="no_such_exercise"),
        entry(action="delete"),
        entry(result="excellent"),
        entry(mistake="=HYPERLINK(1)"),
        entry(mistake=None),
        entry(hint=-1),
        entry(hint=True),
        entry(hint="3"),
        entry(variant={"a": 1}),
        entry(action="hint", result="passed"),  # a hint has no verdict
    ],
)
def test_an_entry_edited_out_of_shape_is_counted_unreadable_and_left_out(bad):
    assert record.read_record(notebook_with({"entries": [bad, entry()]})) == {"entries": [entry()], "unreadable": 1}


@pytest.mark.parametrize(
    "notebook",
    [
        None,
        [],
        {"cells": "no"},
        {"cells": [None, 3, {"outputs": "no"}, {"outputs": [None, {"metadata": []}]}]},
        notebook_with(None),
        notebook_with({"entries": "many"}),
        notebook_with([entry()]),
    ],
)
def test_reading_never_fails_whatever_the_notebook_holds(notebook):
    found = record.read_record(notebook)
    assert found is None or found["entries"] == []


def test_a_record_is_bounded():
    many = [entry(id=f"{n:016x}") for n in range(record.MAX_ENTRIES + 10)]
    found = record.read_record(notebook_with({"entries": many}))
    assert len(found["entries"]) == record.MAX_ENTRIES and found["unreadable"] == 10


def test_a_learners_notebooks_records_merge_and_none_is_no_record():
    first = {"entries": [entry()], "unreadable": 1}
    second = {"entries": [entry(), entry(id="fedcba9876543210")], "unreadable": 0}
    assert record.merged({"04_time_to_code": None}) is None
    assert record.merged({"04_time_to_code": first, "03_embedding_lookup": None, "05_training": second}) == {
        "entries": second["entries"],
        "unreadable": 1,
        "notebooks": ["04_time_to_code", "05_training"],
    }


def test_the_variant_is_the_exercises_own_and_none_without_variants():
    assert record.variant_of(checks.get_initializer) is None
    assert record.variant_of(type("WithVariant", (), {"variant": 3})()) == "3"


def test_outside_a_notebook_nothing_is_kept_and_attempts_says_so(capsys):
    checks.get_initializer.check(answer("get_initializer", "canonical"))
    checks.attempts()
    assert "outside a notebook there is none" in capsys.readouterr().out
    assert record._KNOWN == {}


def test_the_canonical_form_drops_the_authors_record_and_keeps_the_line():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("checks.forward.check(EmbeddingModel)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/plain": "Attempt record: ..."},
            metadata={record.RECORD_KEY: {"format": 1, "entries": [entry()]}},
        )
    ]
    nb.cells.append(cell)
    (output,) = tool.formatted(nb).cells[0].outputs
    assert output["data"] == {"text/plain": "Attempt record: ..."} and record.RECORD_KEY not in output["metadata"]
