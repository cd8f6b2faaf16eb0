"""Finding, reaping and ending processes, for the grader and for the fork server."""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 4, 36


def _prctl(option: int, value: int) -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Orphans of our descendants become our children (so we can reap and end them)."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def protect_process() -> None:
    """Make this process non-dumpable: its /proc/<pid>/fd, /root and /mem, and ptrace, then need
    CAP_SYS_PTRACE, which no sandboxed process has."""
    _prctl(_PR_SET_DUMPABLE, 0)


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def descendants_of(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        children = children_of(todo.pop())
        found += children
        todo += children
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a process and its process group (its session, unless a process left it)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def reap_exited() -> list[tuple[int, int]]:
    """(pid, wait status) of every child that has ended, without waiting for the others."""
    ended = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        ended.append((pid, status))
    return ended


def kill_strays(keep: set) -> None:
    """End every child of this process (and its descendants) but those in ``keep``."""
    for pid in children_of(os.getpid()):
        if pid not in keep:
            kill_tree(pid)
