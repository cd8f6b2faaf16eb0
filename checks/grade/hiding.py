"""Keeping folders out of a sandbox's sight: solutions/, the other submissions, the grader's output.

Linux only, best effort. The sandbox enters a mount namespace of its own (as root, or inside a user
namespace where unprivileged ones are allowed), mounts an empty read-only tmpfs over each folder, and
then gives up every capability and the right to gain new ones, so it cannot unmount them. Where the
system allows none of this (a container without CAP_SYS_ADMIN and without user namespaces), nothing is
hidden and ``hide`` says so; Gradescope's container holds none of these folders anyway.

The grader's own processes make themselves non-dumpable (``protect_process``), so a sandbox without
CAP_SYS_PTRACE cannot reach them through /proc/<pid>/root, /fd or /mem even under the same user.
"""
from __future__ import annotations

import ctypes
import os

_CLONE_NEWNS, _CLONE_NEWUSER = 0x00020000, 0x10000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REC, _MS_PRIVATE = 16384, 1 << 18
_PR_SET_DUMPABLE, _PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS = 4, 24, 38
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
    return libc


def protect_process() -> None:
    """Make this process non-dumpable: /proc/<pid>/fd, /root, /mem then need CAP_SYS_PTRACE."""
    try:
        _libc().prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def folders_to_hide(candidates: list[str], keep: list[str]) -> list[str]:
    """The candidate folders that exist and hold none of ``keep`` (the sandbox's own needs: its
    working folder, Python, the checks package)."""
    chosen = []
    for folder in candidates:
        real = os.path.realpath(folder)
        if not os.path.isdir(real) or real == "/":
            continue
        if any(os.path.commonpath([real, os.path.realpath(k)]) == real for k in keep):
            continue
        chosen.append(real)
    # A folder inside another one is hidden with it (and could not be mounted over once that is).
    chosen = sorted(set(chosen))
    return [f for f in chosen if not any(o != f and os.path.commonpath([o, f]) == o for o in chosen)]


def hide(folders: list[str]) -> str | None:
    """Cover each folder with an empty read-only tmpfs, for this process and its children only, then
    drop all capabilities. Call it in the sandbox, before any learner code. Returns None when done,
    else why it was not possible (nothing is hidden then, and capabilities are still dropped)."""
    libc = _libc()
    problem = _mount_over(libc, folders) if folders else None
    _drop_capabilities(libc)
    return problem


def _failed(step: str) -> str:
    return f"{step} failed: {os.strerror(ctypes.get_errno())}"


def _mount_over(libc, folders: list[str]) -> str | None:
    if os.geteuid() == 0:
        if libc.unshare(_CLONE_NEWNS) != 0:
            return _failed("unshare(CLONE_NEWNS)")
    else:
        uid, gid = os.geteuid(), os.getegid()
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNS) != 0:
            return _failed("unshare(CLONE_NEWUSER | CLONE_NEWNS)")
        try:
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                with open(f"/proc/self/{name}", "w") as handle:
                    handle.write(text)
        except OSError as exc:
            return f"writing /proc/self/uid_map failed: {exc.strerror}"
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return _failed("making mounts private")
    flags = _MS_RDONLY | _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    problems = [_failed(f"mounting over {folder}") for folder in folders
                if libc.mount(b"tmpfs", folder.encode(), b"tmpfs", flags, b"size=4k,mode=0555") != 0]
    return "; ".join(problems) or None


def _drop_capabilities(libc) -> None:
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    for capability in range(64):  # the bounding set: no capability can come back, not even by exec
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() == 22:
            break  # EINVAL: past the last capability this kernel knows
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    libc.capset(ctypes.byref(header), data)  # effective, permitted and inheritable all empty
