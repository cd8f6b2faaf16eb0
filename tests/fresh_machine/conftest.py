"""Fresh-machine tests: the course on a minimal Debian 12 root (see debian_root.py), and on this
machine's CPython 3.10 (test_python310.py: a venv of its own, no root).

They take minutes (a root, then TensorFlow installed into it), so they run only when selected:
`pytest -m fresh_machine tests/fresh_machine`, which `make test-fresh` (and so `make test-all`, CI) does.
Elsewhere they show as skipped, saying how to run them. Those on the root need root (chroot, mounts).
The root is made once and shared by every test here (by every worker when the files run at once);
what each step took is printed at the end of the run.
"""

import os
import re
import time

import pytest
from debian_root import build_root

TIMINGS = pytest.StashKey[list]()
TIMING = "fresh-machine time"  # the name under which a test's report carries one (what, seconds) pair


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
    """Append (what, seconds) pairs: they are printed in the summary at the end of the run."""
    return request.config.stash.setdefault(TIMINGS, [])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item):
    """The pairs appended since the last report ride on the next one: under `make test-fresh`'s
    pytest-xdist workers, reports are what reaches the process that prints the summary."""
    report = (yield).get_result()
    recorded = item.config.stash.setdefault(TIMINGS, [])
    report.user_properties += [(TIMING, list(pair)) for pair in recorded]
    recorded.clear()


class TimeTaken:
    """Gathers the pairs from the reports, wherever the tests ran, and prints them at the end."""

    def __init__(self):
        self.lines: list = []

    def pytest_runtest_logreport(self, report):
        self.lines += [tuple(pair) for name, pair in report.user_properties if name == TIMING]

    def pytest_terminal_summary(self, terminalreporter):
        if self.lines:
            terminalreporter.section("fresh machine: time taken")
            for what, seconds in self.lines:
                terminalreporter.write_line(f"{seconds:7.1f} s  {what}")
            terminalreporter.write_line(f"{sum(s for _, s in self.lines):7.1f} s  in all")


def pytest_configure(config):
    config.pluginmanager.register(TimeTaken(), "fresh-machine-time-taken")


@pytest.fixture(scope="session")
def debian_root(timings):
    started = time.monotonic()
    root = build_root()
    timings.append(("Debian 12 root (made with mmdebstrap, or the one cached in build/)", time.monotonic() - started))
    return root
