"""The sandbox a slot's fork server runs in: bubblewrap (Debian's ``bubblewrap``, Flatpak's sandbox).

New user, PID, network, IPC and UTS namespaces; a read-only view of the system's programs and
libraries, the Python installation, the venv and the code the server imports (the workload's
``code_root``: a copy the grader made without solutions); a private, size-limited tmpfs on /tmp and
/dev/shm as the only writable places; no home, no /etc beyond the dynamic linker's cache, nothing of
solutions/, the submissions or the output folder (they are simply not there); it dies with the
grader. Python runs isolated (``-I``): no user site, no environment variables, no current folder on
its import path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from grader.sandbox.workload import Workload

#: The environment of every sandboxed process, set here only. TensorFlow's variables must be set
#: before it is imported: quiet C++ logs, and oneDNN off so sums are ordered as in the notebooks.
ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "MPLBACKEND": "Agg",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "LANG": "C.UTF-8",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}

_BOOT = (
    "import sys; sys.path[:0] = [{root!r}]; "
    "from grader.sandbox.server import main; main(int(sys.argv[1]), sys.argv[2] == 'sandboxed', sys.argv[3])"
)


def server_command(control_fd: int, sandboxed: bool, workload: Workload) -> list[str]:
    """The fork server's command line, to run inside a sandbox or (unsafely) without one."""
    return [
        sys.executable,
        "-I",
        "-c",
        _BOOT.format(root=workload.code_root),
        str(control_fd),
        "sandboxed" if sandboxed else "unsandboxed",
        workload.to_json(),
    ]


def _system_binds() -> list[str]:
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in (
        "/etc/ld.so.cache",
        "/etc/ld.so.conf",
        "/etc/ld.so.conf.d",
        "/etc/localtime",
        "/etc/fonts",
        "/sys/devices/system/cpu",
    ):
        args += ["--ro-bind-try", name, name]
    return args


def read_only_paths(code_root: str) -> list[str]:
    """The Python installation, the venv and the code: bound read-only, each at its own path."""
    folders = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.base_prefix, sys.prefix}
    folders.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    return sorted(f for f in folders if not f.startswith("/usr/")) + [code_root]


def _python_binds(code_root: str) -> list[str]:
    args = []
    for path in read_only_paths(code_root):
        args += ["--ro-bind", path, path]
    return args


def command(control_fd: int, tmp_bytes: int, workload: Workload) -> list[str]:
    """bwrap's command line for one slot's fork server."""
    args = [
        shutil.which("bwrap") or "bwrap",
        "--unshare-user",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        "sandbox",
        "--die-with-parent",
        "--new-session",
        "--as-pid-1",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        # the writable places first, so that code kept under /tmp (a test's copy) is bound over them
        "--size",
        str(tmp_bytes),
        "--tmpfs",
        "/tmp",
        "--size",
        str(tmp_bytes),
        "--tmpfs",
        "/dev/shm",
        *_system_binds(),
        *_python_binds(workload.code_root),
        "--remount-ro",
        "/",
        "--chdir",
        "/tmp",
        "--clearenv",
    ]
    for key, value in ENVIRONMENT.items():
        args += ["--setenv", key, value]
    return args + ["--", *server_command(control_fd, True, workload)]


def unavailable() -> str | None:
    """Why no slot can be sandboxed here (bubblewrap missing, or user namespaces not allowed), or None."""
    if sys.platform != "linux":
        return f"bubblewrap needs Linux; this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    probe = [
        "bwrap",
        "--unshare-user",
        "--unshare-pid",
        "--unshare-net",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--die-with-parent",
        "--",
        "/bin/true",
    ]
    try:
        completed = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not run ({exc})"
    if completed.returncode != 0:
        return "bubblewrap cannot create its namespaces here (user namespaces disabled?): " + (
            completed.stderr.strip()[:300] or f"exit code {completed.returncode}"
        )
    return None
