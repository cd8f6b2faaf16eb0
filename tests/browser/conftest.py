"""A real JupyterLab, and a real headless Chromium looking at it, for the browser tests.

`make test-browser` runs these (`pytest tests/browser`); `pytest tests/` leaves them out
(`--ignore=tests/browser` in pyproject's addopts), so the quick loop needs no browser.

* The server: `jupyter lab` from this venv on a free loopback port with a random token, rooted at the
  repository. A throw-away folder holds its settings (autosave off, so running cells never writes into
  solutions/ or notebooks/; every cell attached to the page, windowing "none"; no news) and the
  checkpoints it writes when a notebook opens. Its log goes to build/screenshots/jupyter-server.log
  (jupyter-server-gw0.log and so on, one per pytest-xdist worker), which CI keeps with the screenshots.
* The browser: Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) driven by Playwright for Python.
  Nothing here downloads a browser; the Makefile installs Chromium with apt when it is missing.

BROWSER_TEST_ROOT=<folder with solutions/ and notebooks/> points the test at other notebooks (a scratch
copy while developing); screenshots still go to this repository's build/screenshots.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from notebook_page import ROOT, SCREENSHOTS

CHROMIUM_ARGS = [
    # Root in a container has no sandbox; this closed network refuses Chromium's own background traffic.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SERVER_START_TIMEOUT = 60
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def pytest_addoption(parser):
    parser.addoption(
        "--readme-screenshots",
        action="store_true",
        help="also write docs/screenshots/<name>.png (1280x900, palette PNG) for every solution notebook",
    )


AUDIT = "accessibility audit"  # the name under which a test's report carries an audit's summary


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item):
    """The audits a test made ride on its report: with `make test-browser`'s pytest-xdist workers,
    reports are what reaches the process that prints the summary."""
    import accessibility

    report = (yield).get_result()
    report.user_properties += [
        (AUDIT, {"lines": accessibility.lines(a), "seconds": a.seconds}) for a in accessibility.AUDITS
    ]
    accessibility.AUDITS.clear()


class AuditSummary:
    """The audits of this run, wherever they ran: the seconds each took, and JupyterLab's own
    violations, listed at the end because they never fail a test."""

    def __init__(self):
        self.audits: list[dict] = []

    def pytest_runtest_logreport(self, report):
        self.audits += [value for name, value in report.user_properties if name == AUDIT]

    def pytest_terminal_summary(self, terminalreporter):
        import accessibility

        if self.audits:
            terminalreporter.section("accessibility audit (axe-core)")
            for audit in sorted(self.audits, key=lambda a: a["lines"][0]):
                for line in audit["lines"]:
                    terminalreporter.write_line(line)
            terminalreporter.write_line(accessibility.total_line([a["seconds"] for a in self.audits]))


def pytest_configure(config):
    config.pluginmanager.register(AuditSummary(), "accessibility-audit-summary")


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is not installed: `make test-browser` installs Debian's chromium package "
            "(apt-get install -y chromium).",
            pytrace=False,
        )
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A running JupyterLab server: its address, token, and REST calls for what the UI need not show."""

    def __init__(self, process: subprocess.Popen, port: int, token: str, log: Path):
        self.process, self.port, self.token, self.log = process, port, token, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            f"{self.base}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}", timeout=30)

    def saved_files(self) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if "Saving file at" in line]


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Lab:
    home = tmp_path_factory.mktemp("jupyterlab")
    for plugin, values in LAB_SETTINGS.items():
        file = home / "settings" / f"{plugin}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # make test-browser runs a server per worker
    log = SCREENSHOTS / (f"jupyter-server-{worker}.log" if worker else "jupyter-server.log")
    port, token = free_port(), secrets.token_hex(24)
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # Opening a notebook writes a checkpoint: keep it out of the repository.
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")  # containers and CI run as root
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
    server = Lab(process, port, token, log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with {process.returncode}:\n{log.read_text()[-3000:]}", pytrace=False)
            try:
                server.api("GET", "status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"jupyter lab did not answer within {SERVER_START_TIMEOUT} s:\n{log.read_text()[-3000:]}",
                        pytrace=False,
                    )
                time.sleep(0.3)
        yield server
    finally:
        stop(process, server)


def stop(process: subprocess.Popen, server: Lab) -> None:
    if process.poll() is None:
        try:
            server.api("POST", "shutdown", timeout=10)  # shuts its kernels down too
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    try:  # kernels it started, should it have left any: they share its process group
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, lab):
    """A fresh browser context per notebook; its kernel is shut down after."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.problems = []  # uncaught script errors, shown when a test fails
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    try:
        yield page
    finally:
        context.close()
        try:
            lab.shut_down_kernels()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass


@pytest.fixture
def plain_page(browser):
    """A browser page with no JupyterLab behind it, for pages the course writes (report.html)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def readme_screenshots(request) -> bool:
    return request.config.getoption("--readme-screenshots")
