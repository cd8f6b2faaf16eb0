"""What one attempt does with one submission. It runs in a process forked from its slot's fork server
(``server.py``), which has TensorFlow imported already, and it never returns: it ends in ``os._exit``.

In order:

1. Isolate: a session of its own, every inherited descriptor closed except the socket to the grader
   (fd 3), stdin/stdout/stderr on /dev/null, a working folder of its own in the slot's /tmp, the
   per-process limits (``isolation/limits.py``), and at most one TensorFlow thread per pool. The
   sandbox around it (``isolation/bubblewrap.py``) was set up before the server started.
2. Receive the notebook's code from the grader, and run its cells in order in one namespace, as a
   kernel would, with a time limit per cell, under the workload's ``silence`` hook (the course's check
   cells do nothing meanwhile); output only gets counted.
3. Put back what the cells may have monkeypatched (``guard.py``).
4. Only now receive the cases, and for each task make a fresh exercise object from its class and call
   its ``observe_all`` on the answer, with a time limit per exercise, restoring and re-checking the
   guarded state around each one. Each report is sent as soon as it exists, so a crash in one
   exercise does not lose the others.

The cell and exercise alarms are only courtesies that keep the notebook going: the grader enforces
the attempt's wall clock from outside. Verdicts are reached in the grader (``grader/pipeline/mark.py``).
"""

from __future__ import annotations

import builtins
import errno
import io
import linecache
import os
import pickle
import resource
import signal
import sys
import tempfile

from grader.sandbox import protocol
from grader.sandbox.guard import Guard
from grader.sandbox.isolation.limits import limit_this_process
from grader.sandbox.workload import Workload, load

SOCKET_FD = 3
_MISSING = object()


class _TimeUp(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` in learner code lets it through."""


def _alarm(signum, frame):
    raise _TimeUp()


class _CountingSink(io.TextIOBase):
    """Where the notebook's print() goes: counted, never stored, so a flood of output costs nothing."""

    def __init__(self):
        self.characters = 0

    def writable(self):
        return True

    def write(self, text):
        n = len(text) if isinstance(text, str) else 0
        self.characters += n
        return n

    def flush(self):
        pass


class _IPythonStandIn:
    """Answers the ``get_ipython()`` calls IPython syntax turns into: magics and shell commands do
    nothing, except cell magics that only time or capture Python, whose body runs as Python."""

    PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}

    def __init__(self, namespace):
        self._namespace = namespace

    def run_line_magic(self, name, line, *args, **kwargs):
        return None

    def run_cell_magic(self, name, line, cell, *args, **kwargs):
        if name in self.PYTHON_CELL_MAGICS:
            exec(compile(cell, "<cell magic>", "exec"), self._namespace)
        return None

    def system(self, *args, **kwargs):
        return None

    def getoutput(self, *args, **kwargs):
        return []

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


# -- the job ------------------------------------------------------------------------------------------
def run(job_fd: int, settings: dict, workload: Workload) -> None:
    """Grade one submission in this (forked) process, then end it. Never returns."""
    status = 70
    try:
        _isolate(job_fd, settings)
        _serve(workload)
        status = 0
    except BaseException:
        status = 70
    finally:
        os._exit(status)


def _isolate(job_fd: int, settings: dict) -> None:
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write then fails with an error instead
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    os.setsid()
    if job_fd != SOCKET_FD:
        os.dup2(job_fd, SOCKET_FD)
    os.closerange(SOCKET_FD + 1, _max_fd())
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    os.set_inheritable(SOCKET_FD, True)

    workdir = tempfile.mkdtemp(prefix="job-", dir=settings["workdir"])
    os.chdir(workdir)
    for variable in ("HOME", "TMPDIR", "MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR"):
        os.environ[variable] = workdir
    tempfile.tempdir = workdir
    limit_this_process(settings)

    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def _max_fd() -> int:
    try:
        return min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 1 << 20)
    except (ValueError, OSError):
        return 4096


def _send(message: dict) -> None:
    protocol.write_all(SOCKET_FD, protocol.json_frame(message), os.write)


def _receive():
    return pickle.loads(protocol.read_frame(SOCKET_FD, os.read))


def _notebook_namespace() -> dict:
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    namespace["get_ipython"] = lambda: _IPythonStandIn(namespace)
    try:
        from IPython.display import display

        namespace["display"] = display
    except ImportError:
        pass
    return namespace


def _run_cells(job: dict, namespace: dict, describe_exception) -> list:
    errors, skip = [], set(job["skip"])
    for number, source in job["cells"]:
        if number in skip:
            continue
        _send({"t": protocol.CELL, "cell": number})
        filename = f"<cell {number}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            signal.setitimer(signal.ITIMER_REAL, job["cell_seconds"])
            exec(compile(source, filename, "exec"), namespace)
        except _TimeUp:
            seconds = job["cell_seconds"]
            errors.append(
                {"cell": number, "error": f"it ran for more than {seconds:g} s and was stopped", "timed_out": True}
            )
        except BaseException as exc:  # SyntaxError, SystemExit, KeyboardInterrupt: all outcomes of a cell
            try:
                errors.append({"cell": number, "error": describe_exception(exc) + _task_limit_note(exc, job)})
            except BaseException:
                errors.append({"cell": number, "error": type(exc).__name__})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return errors


def _task_limit_note(exc: BaseException, job: dict) -> str:
    """What a refused process or thread means here: the notebook hit the grader's task limit."""
    refused = (
        isinstance(exc, BlockingIOError)
        and exc.errno == errno.EAGAIN
        or isinstance(exc, RuntimeError)
        and "can't start new thread" in str(exc)
    )
    return (
        f" (the grader lets a notebook have at most {job['processes']} processes and threads at once)"
        if refused
        else ""
    )


def _observe(task, exercise_class, answer, cases: list, seconds: float, describe_exception) -> dict:
    if answer is _MISSING:
        return {"missing": task.answer}
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return exercise_class().observe_all(answer, cases)
    except _TimeUp:
        return {"timed_out": seconds}
    except BaseException as exc:  # SystemExit and the like escape observe_all's `except Exception`
        try:
            return {"observations": [], "error": describe_exception(exc)}
        except BaseException:
            return {"observations": [], "error": type(exc).__name__}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _report_frame(name: str, report: dict, changed: list) -> bytes:
    try:
        return protocol.json_frame({"t": protocol.REPORT, "ex": name, "report": report, "changed": changed[:20]})
    except Exception as exc:
        return protocol.json_frame(
            {
                "t": protocol.REPORT,
                "ex": name,
                "changed": changed[:20],
                "report": {"unreadable": f"{type(exc).__name__}: {str(exc)[:200]}"},
            }
        )


def _serve(workload: Workload) -> None:
    _send({"t": protocol.HELLO, "pid": os.getpid()})
    job = _receive()
    classes = {task.name: load(task.exercise) for task in workload.tasks}
    describe_exception, silence = load(workload.describe_exception), load(workload.silence)
    guard = Guard(workload.guarded, workload.own_packages)
    namespace = _notebook_namespace()
    signal.signal(signal.SIGALRM, _alarm)
    sink = _CountingSink()
    sys.stdout = sys.stderr = sink
    with silence():
        errors = _run_cells(job, namespace, describe_exception)
    sys.stdout = sys.stderr = sink
    guard.restore()
    _send({"t": protocol.CELLS_DONE, "errors": errors[:50], "output_characters": sink.characters})
    cases = _receive()["cases"]
    for name in job["exercises"]:
        task = workload.task(name)
        guard.restore()
        signal.signal(signal.SIGALRM, _alarm)
        sys.stdout = sys.stderr = sink
        _send({"t": protocol.OBSERVING, "ex": name})
        answer = namespace.get(task.answer, _MISSING)
        report = _observe(task, classes[name], answer, cases[name], job["observe_seconds"], describe_exception)
        protocol.write_all(SOCKET_FD, _report_frame(name, report, guard.changes()), os.write)
    guard.restore()
    _send({"t": protocol.DONE})
