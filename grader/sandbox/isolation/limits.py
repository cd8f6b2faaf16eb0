"""Limits on one submission: per process (resource limits, set by the worker before any learner code)
and for the whole submission across its processes (a cgroup per slot where the system delegates one,
else the grader adding up the slot's private memory from outside; see ``SlotLimits``).

Each slot runs one submission at a time, so a limit on the slot is a limit on the submission.
"""
from __future__ import annotations

import os
import resource
import shutil
from pathlib import Path


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
    # Counted per user namespace: the slot's own tasks (the server's threads) and a few more processes.
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

    def set_memory(self, memory_bytes: int) -> None:
        for folder in self.folders:
            # memsw may not be below the memory limit: written first when raising, last when lowering
            for name in ("memory.memsw.limit_in_bytes", "memory.max", "memory.limit_in_bytes",
                         "memory.memsw.limit_in_bytes"):
                if (folder / name).exists():
                    _write(folder / name, str(memory_bytes))

    def memory_used(self) -> int | None:
        for folder in self.folders:
            for name in ("memory.current", "memory.usage_in_bytes"):
                try:
                    return int((folder / name).read_text())
                except (OSError, ValueError):
                    pass
        return None

    def close(self) -> None:
        for folder in self.folders:
            try:
                folder.rmdir()
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)


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
            yield root / own.lstrip("/"), lambda memory, processes: [
                ("memory.max", str(memory)), ("memory.swap.max", "0"), ("pids.max", str(processes))]
        return
    own = _own_cgroup("memory")
    if own is not None and (root / "memory").is_dir():
        yield root / "memory" / own.lstrip("/"), lambda memory, processes: [
            ("memory.limit_in_bytes", str(memory)), ("memory.memsw.limit_in_bytes", str(memory))]
    own = _own_cgroup("pids")
    if own is not None and (root / "pids").is_dir():
        yield root / "pids" / own.lstrip("/"), lambda memory, processes: [("pids.max", str(processes))]


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError:
        pass
