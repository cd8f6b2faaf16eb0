"""What one sandboxed process does with one submission. It runs in a child forked from the fork server
(``server.py``), which has TensorFlow imported already, and it never returns: it ends in ``os._exit``.

In order:

1. Isolate: a session of its own, every inherited descriptor closed except the socket to the grader
   (fd 3), stdin/stdout/stderr on /dev/null, resource limits (address space, CPU time, file size, open
   files, core dumps), a private working directory, solutions/, the submissions and the output folder
   out of sight where the system allows it, no capabilities (``hiding.py``), and at most one
   TensorFlow thread per pool.
2. Receive the notebook's code from the grader, and run its cells in order in one namespace, as a
   kernel would, with a time limit per cell. ``checks.<exercise>.check``, ``.hint`` and ``.solution``
   do nothing meanwhile, and output only gets counted.
3. Put back what the cells may have monkeypatched (the ``checks`` modules, builtins, NumPy, and the
   TensorFlow functions and classes that observing relies on).
4. Only now receive the cases, and call ``exercise.observe_all`` on each answer, with a time limit per
   exercise, restoring and re-checking the guarded state around each one. Each report is sent as soon
   as it exists, so a crash in one exercise does not lose the others.

The verdicts are not reached here: the grader reaches them from the reports (``checks.grade.sandbox``).
"""
from __future__ import annotations

import builtins
import io
import linecache
import os
import pickle
import resource
import signal
import sys
import tempfile
import types

from checks.grade import hiding, protocol

SOCKET_FD = 3


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


# -- guarding what learner code could monkeypatch ------------------------------------------------
def _guarded_namespaces():
    """The modules and classes whose attributes observing relies on, by name."""
    import numpy as np
    import tensorflow as tf

    modules = {"builtins": builtins, "numpy": np, "tensorflow": tf}
    for name, module in list(sys.modules.items()):
        if module is not None and (name == "checks" or name.startswith("checks.")):
            modules[name] = module
    for label, module in [("tf.random", tf.random), ("tf.nn", tf.nn), ("tf.compat.v1", tf.compat.v1),
                          ("tf.compat.v1.random", tf.compat.v1.random), ("tf.compat.v1.nn", tf.compat.v1.nn)]:
        modules[label] = module
    classes = {}
    samples = [tf.DType, tf.TensorShape]
    try:  # the classes of what learner code returns; imported, not instantiated, so no runtime starts
        from tensorflow.python.framework.ops import EagerTensor
        from tensorflow.python.ops.resource_variable_ops import ResourceVariable

        samples += [EagerTensor, ResourceVariable]
    except ImportError:
        pass
    for sample in samples:
        for cls in sample.__mro__:
            if (cls.__module__ or "").startswith("tensorflow"):
                classes[f"{cls.__module__}.{cls.__qualname__}"] = cls
    for name, module in list(modules.items()):
        if name.startswith("checks"):  # Exercise, GetInitializer, Outcome, ...
            for value in list(vars(module).values()):
                if isinstance(value, type) and (value.__module__ or "").startswith("checks"):
                    classes[f"{value.__module__}.{value.__qualname__}"] = value
    return modules, classes


def _is_plain(module) -> bool:
    return type(module) is types.ModuleType or module is builtins


class _ModuleCopy:
    """A module's attributes as they were. TensorFlow wraps some API modules (tf.compat.v1) in objects
    that keep attributes outside ``__dict__``; those are read and put back through getattr/setattr."""

    def __init__(self, module):
        self.module = module
        self.plain = _is_plain(module)
        if self.plain:
            self.saved = dict(vars(module))
        else:
            wrapped = getattr(module, "_tfmw_wrapped_module", None)
            names = [k for k in vars(wrapped) if not k.startswith("_")] if wrapped is not None else []
            self.saved = {}
            for key in names:
                try:
                    self.saved[key] = getattr(module, key)
                except Exception:
                    pass
            self.inner = _ModuleCopy(wrapped) if wrapped is not None else None

    def restore(self) -> None:
        if self.plain:
            namespace = vars(self.module)
            for key in [k for k in namespace if k not in self.saved and not k.startswith("__")]:
                del namespace[key]
            namespace.update(self.saved)
            return
        if self.inner is not None:
            self.inner.restore()
        for key, value in self.saved.items():
            try:
                if getattr(self.module, key) is not value:
                    setattr(self.module, key, value)
            except Exception:
                pass

    def changes(self, label: str) -> list[str]:
        changed = []
        for key, value in self.saved.items():
            if key.startswith("__"):
                continue
            if self.plain:
                now = vars(self.module).get(key, _MISSING)
            else:
                try:
                    now = getattr(self.module, key)
                except Exception:
                    now = _MISSING
            if now is not value:
                changed.append(f"{label}.{key}")
        return changed


class Guard:
    """A copy of the guarded namespaces, to put back and to compare with."""

    def __init__(self):
        modules, self.classes = _guarded_namespaces()
        self.modules = {name: _ModuleCopy(module) for name, module in modules.items()}
        self.sys_modules = {name: sys.modules.get(name) for name in list(sys.modules)
                            if name in ("numpy", "tensorflow") or name == "checks" or name.startswith("checks.")}
        self.class_dicts = {name: dict(vars(c)) for name, c in self.classes.items()}
        self.objects = [(ex, dict(vars(ex))) for ex in _exercises()]

    def module(self, name: str):
        return self.modules[name].module

    def restore(self) -> None:
        sys.modules.update(self.sys_modules)
        for copy in self.modules.values():
            copy.restore()
        for name, cls in self.classes.items():
            saved = self.class_dicts[name]
            for key in [k for k in vars(cls) if k not in saved]:
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
            for key, value in saved.items():
                if vars(cls).get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                    except (AttributeError, TypeError):
                        pass
        for ex, saved in self.objects:
            vars(ex).clear()
            vars(ex).update(saved)
        sys.settrace(None)
        sys.setprofile(None)

    def changes(self) -> list[str]:
        """What was replaced since the copy was taken (names only; additions are not changes)."""
        changed = []
        for name, copy in self.modules.items():
            changed += copy.changes(name)
        for name, cls in self.classes.items():
            namespace = vars(cls)
            for key, value in self.class_dicts[name].items():
                if not key.startswith("__") and namespace.get(key, _MISSING) is not value:
                    changed.append(f"{name}.{key}")
        for ex, saved in self.objects:
            if vars(ex) != saved:
                changed.append(f"checks.{getattr(ex, 'name', '?')} (the exercise object)")
        for name, module in self.sys_modules.items():
            if sys.modules.get(name) is not module:
                changed.append(f"sys.modules[{name!r}]")
        return changed


_MISSING = object()


def _exercises():
    import checks

    return list(checks.GRADED)


# -- the job ------------------------------------------------------------------------------------------
def run(job_fd: int, settings: dict) -> None:
    """Grade one submission in this (forked) process, then end it. Never returns."""
    status = 70
    try:
        _isolate(job_fd, settings)
        _serve(settings)
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

    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_CPU, settings["cpu_seconds"], settings["cpu_seconds"] + 5)
    _limit(resource.RLIMIT_FSIZE, settings["file_bytes"])
    _limit(resource.RLIMIT_NOFILE, 256)
    _limit(resource.RLIMIT_AS, _address_space() + settings["memory_bytes"])
    if os.geteuid() != 0:  # root ignores RLIMIT_NPROC
        _limit(resource.RLIMIT_NPROC, _tasks_of_user() + settings.get("extra_processes", 256))
    settings["hide_problem"] = hiding.hide(settings.get("hide", []))
    hiding.protect_process()  # another sandbox running as the same user cannot read this one's memory

    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def _max_fd() -> int:
    try:
        return min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 1 << 20)
    except (ValueError, OSError):
        return 4096


def _limit(kind, soft, hard=None) -> None:
    hard = soft if hard is None else hard
    current_hard = resource.getrlimit(kind)[1]
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    try:
        resource.setrlimit(kind, (soft, hard))
    except (ValueError, OSError):
        pass


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def _tasks_of_user() -> int:
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return count


def _send(message: dict) -> None:
    protocol.write_all(SOCKET_FD, protocol.json_frame(message), os.write)


def _receive():
    return pickle.loads(protocol.read_frame(SOCKET_FD, os.read))


def _serve(settings: dict) -> None:
    from checks.learner_code import describe_exception

    _send({"t": "hello", "pid": os.getpid(), "hide_problem": settings.get("hide_problem")})
    job = _receive()
    exercises = {ex.name: ex for ex in _exercises()}
    answer_names = {name: ex.skeleton_path.split(".")[0] for name, ex in exercises.items()}
    guard = Guard()

    sink = _CountingSink()
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    namespace["get_ipython"] = lambda: _IPythonStandIn(namespace)
    try:
        from IPython.display import display

        namespace["display"] = display
    except ImportError:
        pass
    for ex in exercises.values():  # the notebook's own check cells do nothing here
        for method in ("check", "hint", "solution"):
            setattr(ex, method, lambda *args, **kwargs: None)
    signal.signal(signal.SIGALRM, _alarm)

    errors = []
    sys.stdout = sys.stderr = sink
    for number, source in job["cells"]:
        if number in job["skip"]:
            continue
        _send({"t": "cell", "cell": number})
        filename = f"<cell {number}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            signal.setitimer(signal.ITIMER_REAL, job["cell_seconds"])
            exec(compile(source, filename, "exec"), namespace)
        except _TimeUp:
            errors.append({"cell": number, "error": f"it ran for more than {job['cell_seconds']:g} s and was stopped"})
        except BaseException as exc:  # SyntaxError, SystemExit, KeyboardInterrupt: all outcomes of a cell
            try:
                errors.append({"cell": number, "error": describe_exception(exc)})
            except BaseException:
                errors.append({"cell": number, "error": type(exc).__name__})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout = sys.stderr = sink
    signal.signal(signal.SIGALRM, _alarm)
    guard.restore()
    describe_exception = guard.module("checks.learner_code").describe_exception

    _send({"t": "cells_done", "errors": errors[:50], "output_characters": sink.characters,
           "defined": {name: answer in namespace for name, answer in answer_names.items()}})
    cases = _receive()["cases"]
    for name in job["exercises"]:
        ex = exercises[name]
        guard.restore()
        signal.signal(signal.SIGALRM, _alarm)
        sys.stdout = sys.stderr = sink
        _send({"t": "observing", "ex": name})
        answer = namespace.get(answer_names[name], _MISSING)
        if answer is _MISSING:
            report = {"missing": answer_names[name]}
        else:
            try:
                signal.setitimer(signal.ITIMER_REAL, job["observe_seconds"])
                report = ex.observe_all(answer, cases[name])
            except _TimeUp:
                report = {"timed_out": job["observe_seconds"]}
            except BaseException as exc:  # SystemExit and the like escape observe_all's `except Exception`
                try:
                    report = {"observations": [], "error": describe_exception(exc)}
                except BaseException:
                    report = {"observations": [], "error": type(exc).__name__}
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        changed = guard.changes()
        try:
            frame = protocol.json_frame({"t": "report", "ex": name, "report": report, "changed": changed[:20]})
        except Exception as exc:
            frame = protocol.json_frame({"t": "report", "ex": name, "changed": changed[:20],
                                         "report": {"unreadable": f"{type(exc).__name__}: {str(exc)[:200]}"}})
        protocol.write_all(SOCKET_FD, frame, os.write)
    guard.restore()
    _send({"t": "done"})
