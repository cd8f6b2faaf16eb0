"""Where bubblewrap cannot run (a container without user namespaces), the fork servers run as an
unprivileged user instead (Gradescope's ``nobody``, or ``--run-as``): the grader's files read-only to
it. That user must be able to run the grader's Python and import what the server needs, and often
cannot: a venv or a Python installed in a folder other users cannot enter (root's home is 0700, and so
is what ``mktemp -d`` makes) is out of its reach, and every submission would fail.

So before anything runs, ``prepared`` tries: the user runs the Python and finds what the server
imports. Where a folder on the way blocks it and the grader may make mount namespaces (root, with
CAP_SYS_ADMIN: a machine, not a container), the servers start in a private mount namespace in which
each blocking folder is replaced by an empty one holding only the way down to what the user needs,
bound read-only, as bubblewrap binds them (nothing else of that folder shows). Otherwise
``Unreachable`` says which folder blocks which path, or which import fails, and what to do.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Run in a private mount namespace: $1 a staging folder, $2 how many paths to reach, the paths, how
#: many blocking folders, the folders, then the command. Each path is bound aside before its blocking
#: folder is covered by an empty tmpfs, then bound back, read-only, at its own place.
REACH = """set -e
stage=$1; n=$2; shift 2; i=0
while [ "$i" -lt "$n" ]; do
  mkdir -p "$stage/$i"; mount --bind "$1" "$stage/$i"; eval "path_$i=\\$1"; i=$((i+1)); shift
done
m=$1; shift
while [ "$m" -gt 0 ]; do mount -t tmpfs -o mode=0755,size=1m grader-reach "$1"; m=$((m-1)); shift; done
i=0
while [ "$i" -lt "$n" ]; do
  eval "path=\\$path_$i"; mkdir -p "$path"; mount --bind "$stage/$i" "$path"; mount -o remount,bind,ro "$path"
  i=$((i+1))
done
exec "$@"
"""
#: Run by the user before grading: the grader's own standard library (a Python that cannot reach it
#: may start on another one it finds), then the server's imports and the sandbox's code, found and read.
PROBE = (
    "import os, sys, importlib.util as u; sys.path[:0] = [sys.argv[1]]\n"
    "if not os.__file__.startswith(sys.argv[2]):\n"
    "    sys.exit(f'its standard library is not {sys.argv[2]} but {os.path.dirname(os.__file__)}')\n"
    "for name in sys.argv[3:]:\n"
    "    spec = u.find_spec(name)\n"
    "    if spec is None or spec.origin is None: sys.exit(f'cannot find {name}')\n"
    "    open(spec.origin, 'rb').close()\n"
)


class Unreachable(RuntimeError):
    """The user cannot run the grader's Python, and the grader cannot make it reachable."""


@dataclass(frozen=True)
class RunAs:
    name: str
    uid: int
    gid: int
    wrapper: tuple = ()  # the command that makes the grader's Python reachable first, where one is needed

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` run as the user, with no capabilities left and none to gain."""
        return [
            *self.wrapper,
            "setpriv",
            f"--reuid={self.uid}",
            f"--regid={self.gid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--no-new-privs",
            "--",
            *argv,
        ]


def untraversable(path: str, uid: int, gid: int) -> Path | None:
    """The first folder on the way to ``path`` (itself included) that the user cannot enter, or None."""
    here = Path("/")
    for part in Path(path).parts[1:]:
        here = here / part
        try:
            info = os.stat(here)
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return None
        bit = stat.S_IXUSR if info.st_uid == uid else stat.S_IXGRP if info.st_gid == gid else stat.S_IXOTH
        if not info.st_mode & bit:
            return here
    return None


def _probe(run_as: RunAs, code_root: str, modules: tuple) -> subprocess.CompletedProcess:
    stdlib = os.path.dirname(os.__file__)
    argv = run_as.command([sys.executable, "-I", "-c", PROBE, code_root, stdlib, *modules])
    return subprocess.run(argv, capture_output=True, text=True, cwd="/", env={"PATH": "/usr/bin:/bin"}, timeout=120)


def prepared(name: str, paths: list[str], code_root: str, modules: tuple, stage: Path) -> RunAs:
    """How to run the fork servers as the user ``name``, who must reach ``paths`` (the Python
    installation, the venv, the code) and import ``modules``; ``stage``: an empty folder of the grader's
    for the mount namespace's use. Raises Unreachable, saying what to do, when nothing makes it work."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise Unreachable(f"there is no user {name} to run submissions as.") from None
    run_as = RunAs(name, entry.pw_uid, entry.pw_gid)
    tried = _probe(run_as, code_root, modules)
    if tried.returncode == 0:
        return run_as
    blocked = {path: untraversable(path, run_as.uid, run_as.gid) for path in paths}
    wrapper = reaching(paths, run_as.uid, run_as.gid, stage)
    if wrapper and os.geteuid() == 0 and shutil.which("unshare"):
        reached = RunAs(name, run_as.uid, run_as.gid, wrapper)
        if _probe(reached, code_root, modules).returncode == 0:
            return reached
    raise Unreachable(_what_to_do(name, blocked, tried))


def reaching(paths: list[str], uid: int, gid: int, stage: Path) -> tuple:
    """The command that starts what follows it in a private mount namespace where the user (uid, gid)
    reaches ``paths``, each folder blocking one replaced by an empty one holding only the way down to it;
    () when nothing blocks them. ``stage``: an empty folder the namespace may use. Needs root."""
    blocked = {path: untraversable(path, uid, gid) for path in paths}
    reached = [path for path, folder in blocked.items() if folder is not None]
    if not reached:
        return ()
    blocking = sorted({str(folder) for folder in blocked.values() if folder is not None})
    return (
        *("unshare", "--mount", "--propagation", "private", "sh", "-c", REACH, "reach", str(stage)),
        *(str(len(reached)), *reached, str(len(blocking)), *blocking),
    )


def _what_to_do(name: str, blocked: dict, tried: subprocess.CompletedProcess) -> str:
    first = next(((path, folder) for path, folder in blocked.items() if folder is not None), None)
    if first is not None:
        path, folder = first
        mode = stat.filemode(os.stat(folder).st_mode)
        return (
            f"the user {name}, who runs the submissions here, cannot enter {folder} ({mode}), on the way to "
            f"{path}, which the grader's Python needs, and no private mount namespace could make it reachable "
            f"(that takes root outside a container). Put the grader's venv and its Python where every user can "
            f"reach them (Gradescope's setup.sh makes /autograder/venv), or let other users pass through: "
            f"chmod o+x {folder}."
        )
    why = (tried.stderr.strip().splitlines() or [f"exit status {tried.returncode}"])[-1]
    return (
        f"the user {name}, who runs the submissions here, cannot run the grader's Python ({sys.executable}) "
        f"and import what the sandbox needs: {why}. Make the venv readable by every user: "
        f"chmod -R o+rX {sys.prefix}."
    )
