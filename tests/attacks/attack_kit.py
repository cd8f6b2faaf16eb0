"""Running one batch of attacking and honest submissions through the grader's command line, and
gathering the evidence: the rows, everything the grader printed or wrote, what changed on the host
outside the sandbox, what reached a listener, which planted code ran. Then cleaning up whatever an
attack managed to leave, so that a grader that does not stop it harms nothing.

Black-box: the grader is only ever run as ``python -m <GRADER_MODULE> SUBMISSIONS --out OUT``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import attack_cells
import grade_submissions as gs

ROOT = Path(__file__).resolve().parents[2]


GRADER_MODULE = "grader"
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])

# -- the honest submissions beside every attack, and the marks they must keep -------------------------
WRONG_GET_INITIALIZER = gs.get_initializer_def("return tf.random.uniform((vocab_size, embedding_dim))")


def honest_notebooks(token: str, more: int = 0) -> dict[str, tuple[str, dict]]:
    """name -> (notebook, marks per exercise). The correct one carries a secret no other output may
    show; ``more`` correct ones keep a grader busy while an attack runs."""
    full = {"get_initializer": 1.0, "forward": 1.0}
    return {
        "honest-correct": (gs.submission(after=(f"# subsecret-{token}",)), full),
        "honest-half": (gs.submission(get_initializer=WRONG_GET_INITIALIZER), {"get_initializer": 0.0, "forward": 1.0}),
        **{f"honest-more-{i}": (gs.submission(), full) for i in range(more)},
    }


@dataclass
class Runner:
    """Who runs the grader: an ordinary user (uid, gid), with an interpreter that user can run, and
    the command (as root) that makes it reachable, if one is needed."""

    owner: tuple
    python: str
    wrapper: tuple = ()


def as_user(runner: Runner | None, command: list) -> list:
    """``command`` run as the runner's user, with no capabilities left (setpriv keeps them otherwise)."""
    if runner is None:
        return command
    uid, gid = runner.owner
    return [
        *runner.wrapper,
        "setpriv",
        f"--reuid={uid}",
        f"--regid={gid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--",
        *command,
    ]


@dataclass
class Layout:
    """Where one batch lives. Every attack names what it makes with ``attack-<token>``."""

    token: str
    base: Path
    submissions: Path
    out: Path
    marks: Path  # planted code leaves marker files here (and only runs while it exists)
    home: Path  # HOME of the grader's user
    runner: Runner | None  # the ordinary user the grader runs as, when not this process's
    port: int = 0
    udp_port: int = 0
    writable_sentinels: list = field(default_factory=list)  # files an attack tries to change
    secret_sentinels: list = field(default_factory=list)  # files an attack tries to read

    @property
    def owner(self) -> tuple | None:
        return self.runner.owner if self.runner else None

    @property
    def cli_token(self) -> str:
        """A string only the grading run's own command line holds."""
        return str(self.out)


@dataclass
class Batch:
    layout: Layout
    completed: subprocess.CompletedProcess | None
    seconds: float
    rows: dict
    outputs: str  # stdout, stderr and every file the grader wrote to OUT
    changed: dict  # outside the sandbox: key -> (before, after)
    listener_events: list
    markers: list  # files planted code wrote into layout.marks
    left_behind: list  # files an attack left on the host's /tmp
    planted: list  # files an attack wrote into the submissions or OUT
    timed_out: bool
    honest: dict = field(default_factory=dict)  # honest submission -> the marks it must keep
    after: object = None  # what a batch's follow-up step returned

    def row(self, name: str) -> dict:
        key = name if "." in name else f"{name}.ipynb"
        assert key in self.rows, f"no row for {key}; the grader said:\n{self.tail()}"
        return self.rows[key]

    def scores(self, name: str) -> dict:
        return {t["name"]: t["score"] for t in self.row(name)["tests"]}

    def tail(self) -> str:
        if self.completed is None:
            return "(the grader did not finish: killed after its time limit)"
        return f"exit {self.completed.returncode}\n{self.completed.stdout[-2000:]}\n{self.completed.stderr[-3000:]}"


# -- what must not change outside the sandbox ----------------------------------------------------------
def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def _repository_files() -> set:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    files = {ROOT / name for name in listed.stdout.decode().split("\0") if name} if listed.returncode == 0 else set()
    for code in ("checks", "grader", "tests/attacks"):  # also files no commit holds yet
        for folder, subfolders, names in os.walk(ROOT / code):
            subfolders[:] = [s for s in subfolders if s != "__pycache__"]
            files |= {Path(folder) / n for n in names}
    return files


def _venv_state() -> dict:
    """Every file of the venv by size and modification time (contents for .pth files), bytecode
    caches aside (Python writes those itself)."""
    top = Path(sys.prefix) if sys.prefix != sys.base_prefix else SITE_PACKAGES
    state = {}
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [s for s in subfolders if s != "__pycache__"]
        for name in names:
            if name.endswith(".pyc"):
                continue
            path = Path(folder) / name
            try:
                st = path.lstat()
            except OSError:
                continue
            state[f"venv:{path.relative_to(top)}"] = (
                _digest(path) if name.endswith(".pth") else f"{st.st_size}:{st.st_mtime_ns}"
            )
    return state


def _homes(layout: Layout) -> list[Path]:
    homes = {layout.home}
    try:
        uid = layout.owner[0] if layout.owner else os.getuid()
        homes.add(Path(pwd.getpwuid(uid).pw_dir))
    except KeyError:
        pass
    return sorted(h for h in homes if h.is_dir())


def snapshot(layout: Layout) -> dict:
    state = {f"repo:{p.relative_to(ROOT)}": _digest(p) for p in _repository_files()}
    state.update(_venv_state())
    for path in layout.writable_sentinels + layout.secret_sentinels:
        state[f"sentinel:{path}"] = _digest(Path(path))
    for folder in [*_homes(layout), Path("/etc")]:
        for entry in _entries_named(folder, f"attack-{layout.token}"):
            state[f"new:{entry}"] = "present"
    return state


def _entries_named(folder: Path, word: str) -> list[Path]:
    try:
        return sorted(folder / n for n in os.listdir(folder) if word in n)
    except OSError:
        return []


def differences(before: dict, after: dict) -> dict:
    return {
        k: (before.get(k, "absent"), after.get(k, "absent"))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def abstract_socket(token: str) -> str:
    return f"\0attack-{token}"


# -- a listener on 127.0.0.1 -----------------------------------------------------------------------------
class Listener:
    """A TCP and a UDP socket on 127.0.0.1, and an abstract Unix socket (what a local Jupyter server
    could also listen on), that record whatever reaches them."""

    def __init__(self, token: str):
        self.events: list = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(abstract_socket(token))
        self.unix.listen()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.port, self.udp_port = self.tcp.getsockname()[1], self.udp.getsockname()[1]
        for s in (self.tcp, self.unix, self.udp):
            s.settimeout(0.2)
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._accept, args=(self.tcp, "tcp"), daemon=True),
            threading.Thread(target=self._accept, args=(self.unix, "unix"), daemon=True),
            threading.Thread(target=self._receive, daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _accept(self, server: socket.socket, kind: str):
        while not self._stop.is_set():
            try:
                conn, peer = server.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            conn.close()
            self.events.append((kind, peer, data))

    def _receive(self):
        while not self._stop.is_set():
            try:
                data, peer = self.udp.recvfrom(4096)
            except OSError:
                continue
            self.events.append(("udp", peer, data))

    def close(self):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=2)
        for s in (self.tcp, self.unix, self.udp):
            s.close()


# -- running a batch -----------------------------------------------------------------------------------
def host_pid_namespace() -> str:
    return os.readlink("/proc/self/ns/pid")


def sibling_killer(layout: Layout, seconds: float = 8) -> dict:
    """The notebook that kills its neighbours (attack_cells.kill_siblings), named to be graded first."""
    killer = attack_cells.kill_siblings(layout.cli_token, host_pid_namespace(), seconds)
    return {"a-attack-siblings": gs.skeleton_submission(after=killer)}


def new_layout(runner: Runner | None = None) -> Layout:
    token = secrets.token_hex(6)
    base = Path(tempfile.mkdtemp(prefix=f"attacks-{token}-"))
    base.chmod(0o755)
    layout = Layout(
        token=token,
        base=base,
        submissions=base / "submissions",
        out=base / "out",
        marks=base / "marks",
        home=base / "home" if runner else Path.home(),
        runner=runner,
    )
    for folder in (layout.submissions, layout.out, layout.marks, layout.home):
        folder.mkdir(exist_ok=True)
    layout.marks.chmod(0o777)  # planted code runs as the grader's user
    return layout


def _plant_sentinels(layout: Layout) -> None:
    """Files an attack tries to change or read: in home (and in /etc when running as root), and an
    earlier run's results in OUT."""
    places = [layout.home] + ([Path("/etc")] if os.geteuid() == 0 else [])
    for place in places:
        writable, secret = place / f".attack-{layout.token}-sentinel", place / f".attack-{layout.token}-secret"
        writable.write_text("left by the test\n")
        secret.write_text(f"homesecret-{layout.token}\n" if place != Path("/etc") else f"etcsecret-{layout.token}\n")
        writable.chmod(0o644)
        secret.chmod(0o600)
        if layout.owner and place == layout.home:
            os.chown(writable, *layout.owner)
            os.chown(secret, *layout.owner)
        layout.writable_sentinels.append(str(writable))
        layout.secret_sentinels.append(str(secret))
    (layout.out / "earlier-run.txt").write_text(f"outsecret-{layout.token}\n")


def _command(layout: Layout, options: list, submissions: Path, out: Path) -> tuple[list, dict]:
    python = layout.runner.python if layout.runner else sys.executable
    command = as_user(layout.runner, [python, "-m", GRADER_MODULE, str(submissions), "--out", str(out), *options])
    env = dict(os.environ)
    if layout.runner:
        name = pwd.getpwuid(layout.owner[0]).pw_name
        env.update({"HOME": str(layout.home), "USER": name, "LOGNAME": name})
    return command, env


def run_grader(
    layout: Layout, options: list, timeout: float, submissions: Path | None = None, out: Path | None = None
) -> tuple[subprocess.CompletedProcess | None, float]:
    """The grader's command line on layout.submissions (or ``submissions``), as layout.owner; None when
    it had to be killed at ``timeout``."""
    submissions, out = submissions or layout.submissions, out or layout.out
    if layout.owner:
        for folder in (submissions, out):
            folder.mkdir(exist_ok=True)
            _chown_tree(folder, layout.owner)
    command, env = _command(layout, options, submissions, out)
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C would: the grader may clean up after itself
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        return None, time.monotonic() - started
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), time.monotonic() - started


def _chown_tree(path: Path, owner: tuple) -> None:
    for folder, _, names in os.walk(path):
        os.chown(folder, *owner)
        for name in names:
            os.lchown(os.path.join(folder, name), *owner)


def _outputs(layout: Layout, completed) -> str:
    parts = [completed.stdout, completed.stderr] if completed else []
    for path in sorted(layout.out.rglob("*")):
        if path.is_file() and path.name != "earlier-run.txt":
            parts.append(path.read_text(errors="replace"))
    return "\n".join(parts)


def _rows(layout: Layout) -> dict:
    try:
        results = json.loads((layout.out / "results.json").read_text())
    except (OSError, ValueError):
        return {}
    return {s["submission"]: s for s in results.get("submissions", [])}


def _planted(layout: Layout) -> list:
    return sorted(
        str(p) for folder in (layout.submissions, layout.out) for p in folder.rglob(f"*attack-{layout.token}*")
    )


def _left_in_tmp(layout: Layout) -> list:
    """What an attack left in the host's temporary folders (at most four levels down), the batch's
    own folder aside."""
    patterns = [
        f"{top}{'/*' * depth}/*attack-{layout.token}*" for top in ("/tmp", "/var/tmp", "/dev/shm") for depth in range(4)
    ]
    return sorted({p for pattern in patterns for p in glob.glob(pattern) if not p.startswith(f"{layout.base}/")})


def run_batch(
    build,
    options: list = (),
    timeout: float = 300,
    runner: Runner | None = None,
    background=None,
    after=None,
    more_honest: int = 0,
) -> Batch:
    """Grade the notebooks ``build(layout)`` returns ({name: text}; it may also make special files in
    layout.submissions) beside the honest ones. ``background(layout, stop_event)`` runs in a thread
    while the grader does; ``after(layout)`` runs once the evidence is in, before the cleanup."""
    layout = new_layout(runner)
    listener = Listener(layout.token)
    layout.port, layout.udp_port = listener.port, listener.udp_port
    try:
        _plant_sentinels(layout)
        honest = honest_notebooks(layout.token, more_honest)
        notebooks = {name: text for name, (text, _) in honest.items()}
        notebooks.update(build(layout))
        for name, text in notebooks.items():
            (layout.submissions / f"{name}.ipynb").write_text(text)
        if layout.owner:
            for folder in (layout.submissions, layout.out, layout.home):
                _chown_tree(folder, layout.owner)
        before = snapshot(layout)
        stop = threading.Event()
        helper = threading.Thread(target=background, args=(layout, stop), daemon=True) if background else None
        if helper:
            helper.start()
        completed, seconds = run_grader(layout, list(options), timeout)
        stop.set()
        if helper:
            helper.join(timeout=5)
        time.sleep(0.5)  # anything a submission left running gets a moment to act
        batch = Batch(
            layout,
            completed,
            seconds,
            _rows(layout),
            _outputs(layout, completed),
            differences(before, snapshot(layout)),
            list(listener.events),
            sorted(os.listdir(layout.marks)),
            _left_in_tmp(layout),
            _planted(layout),
            completed is None,
            {name: marks for name, (_, marks) in honest.items()},
        )
        if after:
            batch.after = after(layout)
        return batch
    finally:
        listener.close()
        clean_up(layout)


# -- cleaning up what an attack left ---------------------------------------------------------------------
#: A block of code an attack appended to a module (attack_cells.forging_block), with the newline before it.
_PLANTED_BLOCK = re.compile(r"\n+# >>> attack-(\w+)\n.*?# <<< attack-\1\n", re.S)


def clean_up(layout: Layout) -> None:
    """Undo what the attacks of this batch could have done where the grader let them: strip planted
    blocks from the code, remove planted .pth files, packages and files, then the batch's folder."""
    token = layout.token
    for path in _repository_files():
        if path.suffix == ".py" and path.is_file():
            text = path.read_text(errors="replace")
            stripped = _PLANTED_BLOCK.sub("\n", text)
            if stripped != text:
                path.write_text(stripped)
    for entry in SITE_PACKAGES.glob("attack-*.pth"):  # any run's, even one interrupted before its cleanup
        _remove(entry)
    for place in [SITE_PACKAGES, ROOT, Path("/etc"), *_homes(layout)]:
        for entry in _entries_named(place, f"attack-{token}"):
            _remove(entry)
    for marker in [SITE_PACKAGES / "checks" / f"attack-{token}", *map(Path, _left_in_tmp(layout))]:
        if marker.name == f"attack-{token}" and marker.parent.name == "checks":
            _remove_planted_package(marker.parent)
        elif marker.exists():
            _remove(marker)
    shutil.rmtree(layout.marks, ignore_errors=True)
    shutil.rmtree(layout.base, ignore_errors=True)


def _remove_planted_package(package: Path) -> None:
    """A ``checks`` folder an attack made (it holds the attack's marker), never the course's own."""
    if package.exists() and ROOT.resolve() not in [package.resolve(), *package.resolve().parents]:
        _remove(package)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


# -- what the tests assert ----------------------------------------------------------------------------
def assert_honest_marks_kept(batch: Batch) -> None:
    for name, marks in batch.honest.items():
        row = batch.row(name)
        assert row["status"] == "graded", (
            f"{name}: {row['status']}: {row.get('message')}\n{json.dumps(row['tests'], indent=1)[:3000]}"
        )
        assert batch.scores(name) == marks, (
            f"{name}: {batch.scores(name)} instead of {marks}\n{json.dumps(row['tests'], indent=1)[:3000]}"
        )


def assert_no_marks(batch: Batch, name: str) -> None:
    row = batch.row(name)
    assert row["score"] == 0 and all(t["score"] == 0 for t in row["tests"]), json.dumps(row, indent=1)[:3000]


def assert_attack_ran(batch: Batch, label: str) -> None:
    """The attack got to its end (its last line raises an error naming it, which the grader reports),
    so a pass is not an attack that never ran."""
    assert f"ATTACK-DONE {label}" in batch.outputs, f"the {label} attack did not run to its end:\n{batch.tail()}"


def assert_nothing_outside_changed(batch: Batch, kinds: tuple = ("repo:", "venv:", "sentinel:", "new:")) -> None:
    """Nothing changed in the repository, the venv, or the test's files in home and /etc (``kinds``)."""
    changed = {k: v for k, v in batch.changed.items() if k.startswith(kinds)}
    assert not changed, "changed outside the sandbox:\n" + "\n".join(
        f"{k}: {a} -> {b}" for k, (a, b) in list(changed.items())[:40]
    )


def assert_no_planted_code_ran(batch: Batch) -> None:
    assert not batch.markers, f"code a submission planted ran: {batch.markers}"


def assert_attack_failed(batch: Batch, attacker: str, label: str) -> None:
    """All a batch of one attack must show: the attack ran to its end, yet the honest submissions kept
    exactly their marks, the attacker has none, nothing outside the sandbox changed, no planted code
    ran and nothing reached the listener."""
    assert_attack_ran(batch, label)
    assert_honest_marks_kept(batch)
    assert_no_marks(batch, attacker)
    assert_nothing_outside_changed(batch)
    assert_no_planted_code_ran(batch)
    assert batch.listener_events == [], batch.listener_events


def assert_nothing_leaked(batch: Batch) -> None:
    """No secret of solutions/, another submission or OUT shows in anything the grader printed or wrote."""
    token = batch.layout.token
    for secret in ("OTHERS-LEAKED", f"subsecret-{token}", f"outsecret-{token}", "root:x:0:0"):
        assert secret not in batch.outputs, f"{secret!r} shows in the grader's output"
