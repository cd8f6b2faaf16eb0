"""Limits on one submission: per process (resource limits, set by the worker before any learner code)
and for the whole submission across its processes (a cgroup per slot where the system delegates one,
else the grader adding up the slot's private memory from outside; see ``SlotLimits``).

Each slot runs one submission at a time, so a limit on the slot is a limit on the submission.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Limits:
    timeout: float = 60.0  # wall-clock seconds for one attempt at one notebook, kept by the grader
    cell_seconds: float = 10.0  # one cell, stopped by an alarm inside the sandbox
    observe_seconds: float = 20.0  # one exercise's observation, likewise
    memory_mb: int = 2048  # memory one submission may add, over all its processes
    file_mb: int = 64  # the largest file it may write; its /tmp holds twice that
    processes: int = 64  # tasks (processes and threads) it may have at once, beyond its slot's own
    max_attempts: int = 4
    server_deaths: int = 2  # slot servers a submission may end before it is graded as crashed
    startup_seconds: float = 300.0  # a fork server importing TensorFlow

    def process_settings(self, workdir: str, tasks_counted_by_cgroup: bool) -> dict:
        """What an attempt's process sets on itself before any learner code (``limit_this_process``),
        and the folder it makes its working folder in."""
        return {
            "workdir": workdir,
            "cpu_seconds": int(self.timeout) + 5,
            "memory_bytes": self.memory_mb * 2**20,
            "file_bytes": self.file_mb * 2**20,
            "processes": self.processes,
            "tasks_counted_by_cgroup": tasks_counted_by_cgroup,
        }


def set_limit(kind, soft, hard=None) -> None:
    hard = soft if hard is None else hard
    current_hard = resource.getrlimit(kind)[1]
    if current_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, current_hard), min(hard, current_hard)
    try:
        resource.setrlimit(kind, (soft, hard))
    except (ValueError, OSError):
        pass


def address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def limit_this_process(settings: dict) -> None:
    """The per-process limits of a submission's processes (inherited by any it starts)."""
    set_limit(resource.RLIMIT_CORE, 0)
    set_limit(resource.RLIMIT_CPU, settings["cpu_seconds"], settings["cpu_seconds"] + 5)
    set_limit(resource.RLIMIT_FSIZE, settings["file_bytes"])
    set_limit(resource.RLIMIT_NOFILE, 256)
    set_limit(resource.RLIMIT_AS, address_space() + settings["memory_bytes"])
    if not settings.get("tasks_counted_by_cgroup"):  # else the slot's cgroup counts them, and says when it refused
        # Counted per user namespace: the slot's own tasks (the server's threads) and a few more.
        set_limit(resource.RLIMIT_NPROC, _tasks_here() + settings["processes"])
    try:  # under memory pressure the kernel ends the submission, never the fork server
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _tasks_here() -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return count


def private_bytes(pids: list[int]) -> int:
    """Memory the processes ``pids`` hold that no other process shares (copy-on-write pages they
    still share with the fork server are not theirs), summed."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith(("Private_Clean:", "Private_Dirty:")):
                        total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
    return total


class SlotLimits:
    """A cgroup (v2, or v1's memory and pids controllers) holding one slot: its memory, processes
    and swap bounded together. ``available`` is False where the system delegates none to us; the
    pool then adds up the slot's private memory itself (``private_bytes``)."""

    def __init__(self, name: str, memory_bytes: int, processes: int):
        self.folders: list[Path] = []
        self.memory_bytes, self.processes = memory_bytes, processes
        for controller, files in _controllers():
            folder = controller / name
            try:
                folder.mkdir()
            except OSError:
                continue
            self.folders.append(folder)
            for file, value in files(memory_bytes, processes):
                _write(folder / file, value)
        self.available = bool(self.folders)

    def join(self) -> None:
        """Move the calling process into the cgroup (run in the child before it starts the sandbox)."""
        for folder in self.folders:
            _write(folder / "cgroup.procs", "0")

    @property
    def counts_tasks(self) -> bool:
        return any((folder / "pids.max").exists() for folder in self.folders)

    def tasks_used(self) -> int | None:
        """The tasks (processes and threads) in the slot now."""
        for folder in self.folders:
            try:
                return int((folder / "pids.current").read_text())
            except (OSError, ValueError):
                continue
        return None

    def set_tasks(self, tasks: int) -> None:
        for folder in self.folders:
            if (folder / "pids.max").exists():
                _write(folder / "pids.max", str(tasks))

    def task_limit_hits(self) -> int:
        """How many times the kernel refused the slot a new process or thread for its task limit."""
        for folder in self.folders:
            try:
                for line in (folder / "pids.events").read_text().splitlines():
                    if line.startswith("max "):
                        return int(line.split()[1])
            except (OSError, ValueError):
                pass
        return 0

    def set_memory(self, memory_bytes: int) -> None:
        for folder in self.folders:
            # memsw may not be below the memory limit: written first when raising, last when lowering
            for name in (
                "memory.memsw.limit_in_bytes",
                "memory.max",
                "memory.limit_in_bytes",
                "memory.memsw.limit_in_bytes",
            ):
                if (folder / name).exists():
                    _write(folder / name, str(memory_bytes))

    def memory_used(self) -> int | None:
        """What the slot holds that the kernel cannot reclaim without swap: its processes' anonymous
        memory and tmpfs. Page cache, even of mapped files, is left out: the kernel can drop it, so
        counting it would let a submission use that room too."""
        for folder in self.folders:
            try:
                stat = dict(line.split() for line in (folder / "memory.stat").read_text().splitlines())
            except (OSError, ValueError):
                continue
            for keys in (("total_rss", "total_shmem"), ("anon", "shmem")):
                if all(key in stat for key in keys):
                    return sum(int(stat[key]) for key in keys)
        return None

    def oom_kills(self) -> int:
        """How many processes the kernel has ended in this cgroup for want of memory."""
        for folder in self.folders:
            for name in ("memory.oom_control", "memory.events"):
                try:
                    for line in (folder / name).read_text().splitlines():
                        if line.startswith("oom_kill "):
                            return int(line.split()[1])
                except (OSError, ValueError):
                    pass
        return 0

    def close(self) -> None:
        """Remove the cgroups, once the last of the slot's processes has left them."""
        for folder in self.folders:
            for _ in range(100):
                try:
                    folder.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)


def _own_cgroup(controller: str) -> str | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, names, path = line.split(":", 2)
        if (controller == "" and names == "") or controller in names.split(","):
            return path
    return None


def _controllers():
    """(folder to create cgroups in, the settings to write) for each usable controller."""
    root = Path("/sys/fs/cgroup")
    if (root / "cgroup.controllers").exists():  # v2: ours must delegate memory and pids
        own = _own_cgroup("")
        if own is not None:
            yield (
                root / own.lstrip("/"),
                lambda memory, processes: [
                    ("memory.max", str(memory)),
                    ("memory.swap.max", "0"),
                    ("pids.max", str(processes)),
                ],
            )
        return
    own = _own_cgroup("memory")
    if own is not None and (root / "memory").is_dir():
        yield (
            root / "memory" / own.lstrip("/"),
            lambda memory, processes: [
                ("memory.limit_in_bytes", str(memory)),
                ("memory.memsw.limit_in_bytes", str(memory)),
            ],
        )
    own = _own_cgroup("pids")
    if own is not None and (root / "pids").is_dir():
        yield root / "pids" / own.lstrip("/"), lambda memory, processes: [("pids.max", str(processes))]


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError:
        pass
