"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the whole session.

The server runs from the repository root (or from the folder holding the notebooks given with
``--e2e-notebooks``) with throwaway config, data, runtime, settings and workspace folders, so
nothing leaks into the learner's own Jupyter setup and nothing is written into ``notebooks/``.
Playwright drives the system Chromium (``/usr/bin/chromium``); it never downloads a browser.

Everything here imports Playwright lazily, so the default test run (which deselects ``e2e``)
does not need it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = float(os.environ.get("E2E_SERVER_TIMEOUT", "60"))

# A code cell that builds or shows a widget.
WIDGET_CELL_RE = re.compile(
    # display(make_x()), show_widget(make_x()), or w = make_x(); display(w)
    r"(?s)(make_\w+.*(?:display|show_widget)\(|(?:display|show_widget)\(.*make_\w+)"
    r"|\binteractive\s*\("
    r"|\binteract(?:_manual)?\s*\("
    r"|@interact"
    r"|Slider\s*\("
)

# Lab settings a fresh learner would otherwise be asked about, plus autosave off so that running
# the notebooks in the browser never rewrites the files in the repository.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}
# Lab 4.6 sends widget messages to a kernel subshell (a second thread) by default; the course's
# installed settings (jupyter/overrides.json) switch that off, because matplotlib is not
# thread-safe. The tests use what a learner's install gets; E2E_COMMS_OVER_SUBSHELLS=perCommTarget
# (or perComm) overrides it, to see the failure that setting prevents.
if os.environ.get("E2E_COMMS_OVER_SUBSHELLS"):
    USER_SETTINGS["@jupyterlab/apputils-extension/kernels-settings.jupyterlab-settings"] = {
        "commsOverSubshells": os.environ["E2E_COMMS_OVER_SUBSHELLS"]
    }


# ----------------------------------------------------------------------------------------------
# Options and discovery
# ----------------------------------------------------------------------------------------------
def pytest_addoption(parser):
    group = parser.getgroup("e2e", "browser tests of the widgets in JupyterLab")
    group.addoption(
        "--e2e-notebooks",
        action="append",
        default=[],
        metavar="PATH",
        help="notebook file or folder to test instead of notebooks/ (repeatable; "
        "the environment variable E2E_NOTEBOOKS takes a list separated by os.pathsep)",
    )


def _code_sources(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def uses_widgets(path: Path) -> bool:
    """True when some code cell of the notebook builds or displays an ipywidgets widget."""
    try:
        return any(WIDGET_CELL_RE.search(src) for src in _code_sources(path))
    except Exception:  # a notebook being written may be unreadable: include it, the test says why
        return True


def _candidates(roots: list[Path]) -> list[Path]:
    found = []
    for root in roots:
        if root.is_dir():
            found += [p for p in sorted(root.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
        elif root.suffix == ".ipynb":
            found.append(root)
        else:
            raise pytest.UsageError(f"--e2e-notebooks: {root} is neither a notebook nor a folder")
    return found


def widget_notebooks(config) -> list[Path]:
    """The notebooks to test: those that use widgets, under notebooks/ or the given paths."""
    cached = getattr(config, "_e2e_notebooks", None)
    if cached is not None:
        return cached
    given = list(config.getoption("e2e_notebooks", default=[]) or [])
    env = os.environ.get("E2E_NOTEBOOKS", "")
    given += [p for p in env.split(os.pathsep) if p.strip()]
    roots = [Path(p).expanduser().resolve() for p in given] or [NOTEBOOKS_DIR]
    notebooks = [p for p in _candidates(roots) if uses_widgets(p)]
    config._e2e_notebooks = notebooks
    return notebooks


def pytest_generate_tests(metafunc):
    if "notebook_path" not in metafunc.fixturenames:
        return
    notebooks = widget_notebooks(metafunc.config)
    if notebooks:
        ids = [_test_id(p) for p in notebooks]
        metafunc.parametrize("notebook_path", notebooks, ids=ids)
    else:
        # The course always has widget notebooks: finding none is a failure, never a skip.
        metafunc.parametrize("notebook_path", [None], ids=["no-widget-notebooks-found"])


def _test_id(path: Path) -> str:
    try:
        return str(path.relative_to(NOTEBOOKS_DIR))
    except ValueError:
        return path.name


# ----------------------------------------------------------------------------------------------
# The JupyterLab server
# ----------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_root(notebooks: list[Path]) -> Path:
    if all(REPO_ROOT in p.parents for p in notebooks):
        return REPO_ROOT
    return Path(os.path.commonpath([str(p.parent) for p in notebooks]))


def _terminate_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM if pytest dies without cleaning up
    (e.g. killed by a CI timeout); the server then shuts its kernels down itself."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class LabServer:
    """A running JupyterLab: where it is, how to reach it, and how to stop it for good."""

    root_dir: Path
    tmp: Path
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    _log_file: object = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url_for(self, notebook: Path, workspace: str) -> str:
        rel = notebook.resolve().relative_to(self.root_dir).as_posix()
        quoted = urllib.request.pathname2url(rel)
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/{quoted}?reset&token={self.token}"

    def api(self, method: str, path: str, timeout: float = 10):
        req = urllib.request.Request(
            f"{self.base_url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path and self.log_path.exists() else 0

    def file_writes_since(self, offset: int) -> list[str]:
        """Server log lines, written after `offset`, that record a file saved, renamed or deleted."""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        return [line for line in text.splitlines() if re.search(r"Saving file at|Renaming |Deleting ", line)]

    def log_tail(self, n_chars: int = 4000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-n_chars:]

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        for d in ("config", "data", "runtime", "ipython", "settings", "workspaces", "checkpoints"):
            (self.tmp / d).mkdir(parents=True, exist_ok=True)
        for rel, data in USER_SETTINGS.items():
            target = self.tmp / "settings" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(data))
        env = dict(os.environ)
        for var in ("JUPYTER_TOKEN", "JUPYTER_PORT", "JUPYTER_PREFER_ENV_PATH"):
            env.pop(var, None)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
            JUPYTER_DATA_DIR=str(self.tmp / "data"),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(self.tmp / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"),
            IPYTHONDIR=str(self.tmp / "ipython"),
            PYTHONUNBUFFERED="1",
        )
        self.port = _free_port()
        cmd = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            # checkpoints go to the temporary folder, not to notebooks/.ipynb_checkpoints
            f"--FileCheckpoints.checkpoint_dir={self.tmp / 'checkpoints'}",
            # no requests to the internet: no news feed, no update check, no PyPI extension manager
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            f"--LabApp.user_settings_dir={self.tmp / 'settings'}",
            f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}",
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log_path = self.tmp / "server.log"
        self._log_file = open(self.log_path, "w")  # closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.root_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown can stop all of it
            preexec_fn=_terminate_with_parent,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode} while starting.\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                status = self.api("GET", "/api/status", timeout=2)
                if isinstance(status, dict) and "started" in status:
                    return
            time.sleep(0.3)
        raise RuntimeError(
            f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT:.0f} s.\n{self.log_tail()}"
        )

    def shutdown_kernels(self) -> None:
        """Close every session and kernel through the REST API (best effort)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
            for session in self.api("GET", "/api/sessions") or []:
                with contextlib.suppress(OSError, urllib.error.URLError):
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=20)
            for kernel in self.api("GET", "/api/kernels") or []:
                with contextlib.suppress(OSError, urllib.error.URLError):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=20)

    def _kernel_pids(self) -> list[int]:
        """Kernels this server launched: their command line names our private runtime folder."""
        marker = str(self.tmp / "runtime")
        pids = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline and "kernel" in cmdline and int(entry.name) != os.getpid():
                pids.append(int(entry.name))
        return pids

    def stop(self) -> None:
        """Stop kernels and server: REST shutdown, then SIGTERM, then SIGKILL. Safe to call twice."""
        if self.proc is not None:
            self.shutdown_kernels()
            if self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
            else:
                # the leader is gone; make sure nothing else of its group survives
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
            # kernels run in their own sessions: kill by pid any that outlived the server
            if Path("/proc").is_dir():
                for pid in self._kernel_pids():
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
            self.proc = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


@pytest.fixture(scope="session")
def lab_server(request):
    notebooks = widget_notebooks(request.config)
    if not notebooks:
        pytest.fail(f"no notebook using widgets found under {NOTEBOOKS_DIR}; the course always has some")
    tmp = Path(tempfile.mkdtemp(prefix="e2e-lab-"))
    server = LabServer(root_dir=_server_root(notebooks), tmp=tmp)
    atexit.register(server.stop)  # in case the session is torn down abnormally
    try:
        server.start()
        yield server
    finally:
        server.stop()
        atexit.unregister(server.stop)
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# The browser
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run tests/e2e/install_chromium.sh (or set E2E_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install -e '.[e2e]'")
    with sync_playwright() as pw:
        # executable_path points at the system Chromium, so Playwright never downloads one
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class LabPage:
    page: object
    console: list[str]
    server: LabServer


@pytest.fixture
def lab_page(request, browser, lab_server):
    """A fresh browser context and page for one notebook; kernels are shut down afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"[{msg.type}] {msg.text}"))
    page.on("pageerror", lambda exc: console.append(f"[pageerror] {exc}"))
    lab = LabPage(page=page, console=console, server=lab_server)
    shutil.rmtree(ARTIFACTS_DIR / _safe_name(request.node.name), ignore_errors=True)  # stale ones
    request.node._e2e_lab_page = lab
    try:
        yield lab
    finally:
        request.node._e2e_lab_page = None
        with contextlib.suppress(Exception):
            context.close()
        lab_server.shutdown_kernels()


# ----------------------------------------------------------------------------------------------
# Artifacts of failed tests
# ----------------------------------------------------------------------------------------------
def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:120]


def _save_artifacts(item, lab: LabPage, report) -> Path:
    folder = ARTIFACTS_DIR / _safe_name(item.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with contextlib.suppress(Exception):
        lab.page.screenshot(path=str(folder / "screenshot.png"), timeout=10_000)
    (folder / "console.log").write_text("\n".join(lab.console) + "\n")
    (folder / "failure.txt").write_text(str(report.longrepr) + "\n")
    (folder / "server.log").write_text(lab.server.log_tail(200_000))
    return folder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    lab = getattr(item, "_e2e_lab_page", None)
    if report.failed and report.when == "call" and lab is not None:
        folder = _save_artifacts(item, lab, report)
        report.sections.append(("e2e artifacts", f"screenshot and console log saved in {folder}"))
        item.config._e2e_artifacts = [*getattr(item.config, "_e2e_artifacts", []), folder]
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = getattr(config, "_e2e_stats", [])
    if stats:
        terminalreporter.section("e2e widgets exercised")
        for name, n_widgets, n_sliders, seconds in stats:
            line = f"{name}: {n_widgets} widgets rendered, {n_sliders} sliders moved, {seconds:.1f} s"
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"total: {len(stats)} notebooks, {sum(s[2] for s in stats)} sliders moved")
    folders = getattr(config, "_e2e_artifacts", [])
    if folders:
        terminalreporter.section("e2e artifacts of failed tests")
        for folder in folders:
            terminalreporter.write_line(str(folder))
