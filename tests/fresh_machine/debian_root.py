"""A fresh Debian 12 machine for tests: a minimal root made once with mmdebstrap, entered as its root.

`build_root()` makes the root (Debian's own packages: python3, python3-venv, make, git and what they
depend on, nothing else; an ordinary user `learner`) once, and caches it in build/fresh-machine/.
`Machine(root)` is one throw-away machine on top of it: an overlay whose writable layer lives in the
machine's own temporary folder, so the cached root is never changed and every test starts clean.
`Machine.run()` enters it (pivot_root, chroot) in its own mount and PID namespaces (`unshare`):
everything a run mounts disappears with that namespace, and so does every process it started. Nothing is
written outside the machine's temporary folder (and build/fresh-machine/ for the cached root).

    root = build_root()
    with Machine(root) as machine:
        machine.copy_in(folder, "/autograder/source")
        result = machine.run("bash /autograder/source/setup.sh", user="root")
        assert result.returncode == 0, result.tail()
        json.loads(machine.path("/autograder/results/results.json").read_text())

Running it needs root (mounts, pivot_root). The host's resolv.conf and TLS trust store are the only
things it lends the machine (see Machine._network).
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "fresh-machine"
SUITE = "bookworm"
PACKAGES = ("python3", "python3-venv", "make", "git")
SOURCES = (
    f"deb http://deb.debian.org/debian {SUITE} main",
    f"deb http://deb.debian.org/debian {SUITE}-updates main",
    f"deb http://deb.debian.org/debian-security {SUITE}-security main",
)
LEARNER = "learner"
LEARNER_ID = 1000
USERS = {"root": (0, "/root"), LEARNER: (LEARNER_ID, f"/home/{LEARNER}")}  # name: (uid = gid, home)
# The network a machine is on, not software installed on it: lent read-only to every run. This
# network inspects HTTPS with its own certificate authority, which only the host's trust store has.
RESOLVER, TRUST_STORE = "/etc/resolv.conf", "/etc/ssl/certs/ca-certificates.crt"
# A machine with the course installed holds 2.5 GB of changes (the venv and pip's cache); twice that, to spare.
SCRATCH_BYTES = 5 * 2**30
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


# The machine's root becomes its mount namespace's root (pivot_root, not only chroot), so that, as on
# a real machine, it may make user namespaces (bubblewrap does), which the kernel refuses to a chrooted
# process. The host's root, parked on /run (a tmpfs of the run), is then detached; the root has no
# umount (util-linux's mount is not essential), so its python3 calls umount2(MNT_DETACH) itself.
PIVOT = """mkdir "$m/run/host" && cd "$m" && pivot_root . run/host
python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None, use_errno=True).umount2(b"/run/host", 2) and ctypes.get_errno())'
rmdir /run/host && cd /
"""  # noqa: E501 (shell)


def recipe() -> dict:
    """Everything that decides what the root holds; a cached root made from another recipe is remade."""
    return {
        "suite": SUITE,
        "variant": "apt",
        "packages": PACKAGES,
        "sources": SOURCES,
        # Only what is asked for: a package a Recommends would bring must not hide a missing step.
        "aptopt": 'APT::Install-Recommends "false"',
        "customize": f'chroot "$1" useradd --create-home --uid {LEARNER_ID} --shell /bin/bash {LEARNER}',
    }


def build_root(cache: Path = CACHE) -> Path:
    """The cached root, made with mmdebstrap when missing or made from another recipe (about 20 s).
    `make test-fresh` runs its test files in parallel: one process makes the root, the others wait for
    it here and then use it."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "root.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_root(cache)


def _build_root(cache: Path) -> Path:
    root, stamp = cache / f"debian-{SUITE}", cache / f"debian-{SUITE}.json"
    wanted = json.dumps(recipe(), indent=1)
    if root.is_dir() and stamp.is_file() and stamp.read_text() == wanted:
        return root
    if shutil.which("mmdebstrap") is None:
        raise RuntimeError("mmdebstrap is not installed: `make test-fresh` installs it with apt.")
    stamp.unlink(missing_ok=True)
    _remove_tree(root)
    partial = Path(tempfile.mkdtemp(prefix="partial-", dir=cache)) / "root"
    r = recipe()
    command = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "mmdebstrap",
        "--quiet",
        f"--variant={r['variant']}",
        "--include=" + ",".join(r["packages"]),
        f"--aptopt={r['aptopt']}",
        f"--customize-hook={r['customize']}",
        r["suite"],
        str(partial),
        *r["sources"],
    ]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        _remove_tree(partial.parent)
        raise RuntimeError(f"mmdebstrap failed ({done.returncode}):\n{done.stdout[-4000:]}")
    partial.rename(root)
    _remove_tree(partial.parent)
    stamp.write_text(wanted)
    return root


@dataclasses.dataclass
class Result:
    """What one command in the machine did: exit status, everything it printed, wall-clock seconds."""

    command: str
    returncode: int
    output: str
    seconds: float

    def tail(self, lines: int = 60) -> str:
        return f"$ {self.command}\n(exit {self.returncode})\n" + "\n".join(self.output.splitlines()[-lines:])


class Machine:
    """One throw-away machine: the cached root under an overlay whose changes stay in a temporary folder.

    Changes persist from one `run` to the next (the writable layer is kept), and are all removed
    when the machine is closed.
    """

    def __init__(self, root: Path, parent: Path | None = None):
        self.root = Path(root)
        self.folder = Path(tempfile.mkdtemp(prefix="fresh-machine-", dir=parent or scratch_parent()))
        self.upper, self.work, self.merged = (self.folder / n for n in ("upper", "work", "merged"))
        for folder in (self.upper, self.work, self.merged):
            folder.mkdir()
        self.runs = 0

    def __enter__(self) -> Machine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        _remove_tree(self.folder)

    def path(self, inside: str) -> Path:
        """Where a file of the machine is on the host, as the last run left it (read it, don't write)."""
        relative = inside.lstrip("/")
        changed = self.upper / relative
        return changed if changed.exists() or changed.is_symlink() else self.root / relative

    def copy_in(self, source: Path, inside: str, owner: str = "root") -> Result:
        """Copy a host file or folder into the machine as `inside` (which must not exist yet), owned by
        `owner` ("root" or "learner"), creating its parent folders."""
        staged = "/run/copy-in"  # /run is a fresh tmpfs in every run, as on a booted machine
        copy = (
            f"mkdir -p {shlex.quote(str(Path(inside).parent))} && "
            f"cp -a {staged} {shlex.quote(inside)} && "
            f"chown -R {owner}: {shlex.quote(inside)}"
        )
        return self.run(copy, binds={Path(source): staged}, check=True)

    def run(
        self,
        script: str,
        *,
        user: str = "root",
        cwd: str | None = None,
        env: dict | None = None,
        binds: dict | None = None,
        writable: dict | None = None,
        timeout: float = 3600,
        check: bool = False,
    ) -> Result:
        """Run a bash script in the machine as `user` (root or LEARNER), with host paths bound
        read-only at the given places ({host_path: path_inside}), and the host folders of `writable`
        bound writable (a download cache kept between machines, see `cache_folder`). Returns its
        Result; with check=True, raises unless it exits 0. A run past `timeout` seconds is killed,
        with every process it started, and raises TimeoutError."""
        if user not in USERS:
            raise ValueError(f"user must be one of {sorted(USERS)}, not {user!r}")
        self.runs += 1
        log = self.folder / f"run-{self.runs}.log"
        uid, home = USERS[user]
        variables = {
            "HOME": home,
            "USER": user,
            "LOGNAME": user,
            "SHELL": "/bin/bash",
            "PATH": PATH,
            "LANG": "C.UTF-8",
            **(env or {}),
        }
        inner = [
            "/usr/bin/env",
            "-i",
            *(f"{k}={v}" for k, v in variables.items()),
            "/bin/bash",
            "-euo",
            "pipefail",
            "-c",
            f"cd {shlex.quote(cwd or home)}\n{script}",
        ]
        enter = (
            self._mounts(binds or {}, writable or {})
            + PIVOT
            + f"exec chroot --userspec={uid}:{uid} / {shlex.join(inner)}\n"
        )
        command = [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--pid",
            "--fork",
            "--kill-child",
            "bash",
            "-euc",
            enter,
        ]
        started, timed_out = time.monotonic(), False
        with log.open("w") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:  # also on Ctrl-C: --kill-child ends the namespace's first process, and with it all others
                if process.poll() is None:
                    process.kill()
                    process.wait()
                self._wait_until_no_process_is_left()
        result = Result(script, process.returncode, log.read_text(errors="replace"), time.monotonic() - started)
        if timed_out:
            raise TimeoutError(f"killed after {timeout} s:\n{result.tail()}")
        if check and result.returncode != 0:
            raise RuntimeError(result.tail())
        return result

    def processes(self) -> list:
        """Host ids of the processes running in this machine now (none once a run has returned): those
        that see this machine's overlay."""
        found, overlay = [], f"upperdir={self.upper},"
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if overlay in Path(f"/proc/{pid}/mountinfo").read_text():
                    found.append(int(pid))
            except OSError:  # ended meanwhile
                pass
        return found

    def _wait_until_no_process_is_left(self, seconds: float = 30) -> None:
        """A killed run's namespace ends a moment after the kill: wait for it, so nothing outlives run()."""
        deadline = time.monotonic() + seconds
        while self.processes():
            if time.monotonic() > deadline:
                raise RuntimeError(f"processes {self.processes()} outlived their killed namespace")
            time.sleep(0.1)

    def _network(self) -> dict:
        """The host's files that say how to reach the package registries: its resolver, and its TLS trust
        store laid over the root's own (ca-certificates comes with python3), so it never adds a store
        the root lacks."""
        lent = {}
        if Path(RESOLVER).is_file():
            lent[Path(RESOLVER)] = RESOLVER
        if Path(TRUST_STORE).is_file() and (self.root / TRUST_STORE.lstrip("/")).is_file():
            lent[Path(TRUST_STORE)] = TRUST_STORE
        return lent

    def _mounts(self, binds: dict, writable: dict | None = None) -> str:
        """The host-side part of a run, in its own namespaces: the overlay, /proc, /run, /sys, a minimal
        /dev, the network's files, the binds, and the writable binds."""
        q = shlex.quote
        lines = [
            f"m={q(str(self.merged))}",
            f"mount -t overlay overlay -o lowerdir={q(str(self.root))},upperdir={q(str(self.upper))},"
            f'workdir={q(str(self.work))} "$m"',
            'mount -t proc proc "$m/proc"',
            'mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$m/run"',
            'mount -t sysfs -o ro sysfs "$m/sys"',
            'mount -t tmpfs -o mode=755,nosuid tmpfs "$m/dev"',
            'for d in null zero full random urandom; do touch "$m/dev/$d"; mount --bind "/dev/$d" "$m/dev/$d"; done',
            'ln -s /proc/self/fd "$m/dev/fd"',
            'mkdir "$m/dev/shm" && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$m/dev/shm"',
        ]
        for source, inside in {**self._network(), **binds}.items():
            target = f'"$m"{q(inside)}'
            make = (
                f"mkdir -p {target}" if Path(source).is_dir() else f'mkdir -p "$(dirname {target})" && touch {target}'
            )
            lines.append(f"[ -e {target} ] || {{ {make}; }}")
            lines.append(f"mount --bind -o ro {q(str(source))} {target}")
        for source, inside in (writable or {}).items():
            target = f'"$m"{q(inside)}'
            lines.append(f"mkdir -p {target} && mount --bind {q(str(source))} {target}")
        return "\n".join(lines) + "\n"


def scratch_parent() -> Path | None:
    """Where machines keep their changes: memory (/dev/shm) when it has room for a machine with the
    course installed, since removing its 40,000 files from a busy disk took 40 s and from memory
    none; else the temporary folder ($TMPDIR)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        stats = os.statvfs(shm)
        if stats.f_bavail * stats.f_frsize >= SCRATCH_BYTES:
            return shm
    return None


def booted(folder: Path) -> dict:
    """Binds for what every VM and container has and the root, never booted, lacks: /dev/tty (bubblewrap
    binds it) and an /etc/hosts naming localhost (Docker and cloud-init write one; a server binding
    "localhost", as otter's log server does, fails without). `folder` keeps the hosts file."""
    hosts = Path(folder) / "hosts"
    hosts.write_text("127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n")
    return {Path("/dev/tty"): "/dev/tty", hosts: "/etc/hosts"}


def cache_folder(name: str, owner: str = "root", cache: Path = CACHE) -> Path:
    """A download cache that outlives the machines (pip's, say), in build/fresh-machine/caches/, owned
    by `owner` of the machine: bind it with `run(writable={cache_folder("pip-root"): "/root/.cache/pip"})`
    so that a second run downloads nothing it downloaded before. One folder per user and tool: a
    cache another user wrote into may be unwritable for the next."""
    folder = cache / "caches" / name
    folder.mkdir(parents=True, exist_ok=True)
    uid = USERS[owner][0]
    os.chown(folder, uid, uid)
    return folder


def run_in_root(root: Path, script: str, **options) -> Result:
    """One command on a fresh machine that is thrown away afterwards (see Machine.run for options)."""
    with Machine(root) as machine:
        return machine.run(script, **options)


def _remove_tree(folder: Path) -> None:
    """rm -rf, refusing while anything is mounted below (it would reach into the mounted file system)."""
    if not folder.exists():
        return
    mounted = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    inside = [m for m in mounted if m == str(folder) or m.startswith(f"{folder}/")]
    if inside:
        raise RuntimeError(f"not removing {folder}: still mounted there: {inside}")
    shutil.rmtree(folder)
