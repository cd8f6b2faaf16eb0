"""Fresh-machine tests: the course on a minimal Debian 12 root (see debian_root.py), and on this
machine's CPython 3.10 (test_python310.py: a venv of its own, no root).

They take minutes (a root, then TensorFlow installed into it), so they run only when selected:
`pytest -m fresh_machine tests/fresh_machine`, which `make test-fresh` (and so `make test`) does.
Elsewhere they show as skipped, saying how to run them. Those on the root need root (chroot, mounts).
The root is made once per session and shared by every test here; what each step took is printed
at the end of the run.
"""

import os
import re
import time

import pytest
from debian_root import build_root

TIMINGS = pytest.StashKey[list]()


def pytest_collection_modifyitems(config, items):
    selected = re.search(r"(?<!not )\bfresh_machine\b", config.getoption("markexpr") or "")
    for item in items:
        if not item.get_closest_marker("fresh_machine"):
            continue
        if not selected:
            item.add_marker(
                pytest.mark.skip(reason="fresh-machine test: run it with `make test-fresh` (pytest -m fresh_machine)")
            )
        elif os.geteuid() != 0 and "debian_root" in item.fixturenames:  # only the root needs root
            item.add_marker(pytest.mark.skip(reason="needs root for chroot and mounts: sudo make test-fresh"))


@pytest.fixture(scope="session")
def timings(request) -> list:
    """(what, seconds) pairs, printed in the summary at the end of the run."""
    return request.config.stash.setdefault(TIMINGS, [])


@pytest.fixture(scope="session")
def debian_root(timings):
    started = time.monotonic()
    root = build_root()
    timings.append(("Debian 12 root (made with mmdebstrap, or the one cached in build/)", time.monotonic() - started))
    return root


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(TIMINGS, [])
    if lines:
        terminalreporter.section("fresh machine: time taken")
        for what, seconds in lines:
            terminalreporter.write_line(f"{seconds:7.1f} s  {what}")
        terminalreporter.write_line(f"{sum(s for _, s in lines):7.1f} s  in all")
