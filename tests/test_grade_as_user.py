"""The grader run as an ordinary user, as instructors run it: the sandbox hides the same things as when
root runs it. As root, the test creates a user (``useradd``) and runs the grader through ``setpriv``;
as an ordinary user, it runs it as itself."""
from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import grade_submissions as gs
from grader import assignment
from test_grade_batch import read_other_files

ROOT = Path(__file__).resolve().parent.parent
USER = "grader-test"


def ordinary_user() -> tuple[int, int] | None:
    """(uid, gid) to run the grader as, or None when this process is already an ordinary user."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None or shutil.which("useradd") is None:
        pytest.skip("setpriv and useradd are needed to grade as an ordinary user")
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", USER], check=True, capture_output=True)
        entry = pwd.getpwnam(USER)
    return entry.pw_uid, entry.pw_gid


def connect_back(port: int) -> str:
    return textwrap.dedent(f"""\
        import socket
        for host in ("127.0.0.1", "localhost"):
            try:
                socket.create_connection((host, {port}), timeout=2).sendall(b"escaped")
            except OSError:
                pass
        """)


def write_home() -> str:
    return textwrap.dedent("""\
        import os
        for folder in (os.path.expanduser("~"), "/root", "/etc", "/home", "/tmp"):
            try:
                with open(os.path.join(folder, "written-by-a-submission"), "w") as f:
                    f.write("x")
            except OSError:
                pass
        """)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    owner = ordinary_user()
    base = tmp_path_factory.mktemp("as-user")
    folder, out = base / "submissions", base / "out"
    folder.mkdir()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    heard = []

    def listen():
        while listener.fileno() != -1:
            try:
                heard.append(listener.accept()[0].recv(100))
            except OSError:
                if listener.fileno() == -1:
                    return

    threading.Thread(target=listen, daemon=True).start()
    notebooks = {
        "correct-solution-solution": gs.submission(),  # the name read_other_files copies from
        "honest-skeleton": gs.skeleton_submission(),
        "spy": gs.skeleton_submission(after=(read_other_files(folder, out), connect_back(listener.getsockname()[1]),
                                             write_home())),
    }
    for name, text in notebooks.items():
        (folder / f"{name}.ipynb").write_text(text)
    command = [sys.executable, "-m", "grader", str(folder), "--out", str(out), "--jobs", "2"]
    env = dict(os.environ)
    if owner is not None:
        for path in (base, folder, *folder.iterdir()):
            os.chown(path, *owner)
        os.chmod(base, 0o755)
        command = ["setpriv", f"--reuid={owner[0]}", f"--regid={owner[1]}", "--clear-groups", "--", *command]
        env["HOME"] = "/nonexistent"
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    listener.close()
    rows = {}
    if (out / "results.json").exists():
        rows = {r["submission"]: r for r in json.loads((out / "results.json").read_text())["submissions"]}
    yield {"completed": completed, "rows": rows, "heard": heard, "out": out, "owner": owner}
    for folder_ in ("/root", "/etc", "/tmp"):
        Path(folder_, "written-by-a-submission").unlink(missing_ok=True)


def test_it_grades_as_an_ordinary_user_in_the_sandbox(graded):
    completed = graded["completed"]
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Sandbox: bubblewrap" in completed.stdout
    full = assignment.max_score()
    assert graded["rows"]["correct-solution-solution.ipynb"]["score"] == full
    assert graded["rows"]["honest-skeleton.ipynb"]["score"] == 0


def test_the_hiding_holds_as_an_ordinary_user(graded):
    spy = graded["rows"]["spy.ipynb"]
    assert spy["score"] == 0 and {t["extra_data"]["result"] for t in spy["tests"]} == {"not attempted"}
    assert not (graded["out"] / "planted-by-sandbox.txt").exists()
    assert graded["heard"] == []  # no connection reached the listener on 127.0.0.1
    for folder in ("/root", "/etc", "/tmp"):
        assert not Path(folder, "written-by-a-submission").exists()
