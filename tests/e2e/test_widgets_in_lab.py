"""The course's widgets in a real JupyterLab, used the way a learner uses them.

For every notebook that uses widgets: open it in Lab, clear the outputs, run all cells from the
Run menu, wait until every cell has run, check that no error appeared and that every widget cell
shows a rendered widget. Then move sliders (the first one with the mouse, the others with the
keyboard): every slider of the first widget and the first slider of each other widget. After each
move the output the widget drives must change, and still no error may appear.

Run with:  python -m pytest -m e2e -n0 tests/e2e      (see tests/e2e/README.md)
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.e2e

NOTEBOOK_TIMEOUT = float(os.environ.get("E2E_NOTEBOOK_TIMEOUT", "180"))  # seconds per notebook, all included
SLIDER_TIMEOUT = float(os.environ.get("E2E_SLIDER_TIMEOUT", "60"))  # seconds for one redraw
POLL = 0.25

# A widget shown by a cell: the view sits directly in one of the cell's outputs (no mime-type attribute).
WIDGET_VIEW = ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output > .jupyter-widgets"
# A code cell that puts a widget on screen: its output must hold a rendered widget.
WIDGET_DISPLAY_RE = re.compile(
    r"(?:display|show_widget)\(\s*(?:make_\w+|\w*interactive)\s*\(|@interact|\binteract(?:_manual)?\s*\("
)
EXECUTED_PROMPT = re.compile(r"^\[\s*\d+\s*\]:$")

# Kernel status, input prompts of the code cells, and problems shown in the outputs.
NOTEBOOK_STATE_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel');
  if (!panel) return null;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const kernelName = panel.querySelector('[data-jp-item-name="kernelName"]');
  const prompts = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.replace(/\\s+/g, ' ').trim());
  const errors = [], stderr = [];
  // keep the start (where) and the end (what: the exception's last line) of long tracebacks
  const clip = t => t.length <= 5000 ? t : t.slice(0, 1500) + '\\n[...]\\n' + t.slice(-3500);
  for (const el of panel.querySelectorAll('.jp-OutputArea-output')) {
    const mime = el.getAttribute('data-mime-type') || '';
    const text = el.innerText || el.textContent || '';
    if (mime.includes('error') || /Error displaying widget|Error rendering output/.test(text)) {
      errors.push(clip(text));
    } else if (mime.includes('stderr')) {
      (/Traceback|Error/.test(text) ? errors : stderr).push(clip(text));
    }
  }
  const dialog = document.querySelector('.jp-Dialog');
  return {
    status: indicator ? indicator.getAttribute('data-status') : null,
    kernel: kernelName ? kernelName.textContent.trim() : null,
    prompts, errors, stderr,
    dialog: dialog ? dialog.innerText.slice(0, 500) : null,
  };
}
"""

# What a widget drives: the text and images of its Output areas (or, when it has none, of the whole
# widget minus its sliders), reduced to a short fingerprint plus a readable preview. textContent,
# not innerText: Lab skips rendering off-screen cells, and innerText of skipped content is empty.
WIDGET_SNAPSHOT_JS = """
root => {
  const hash = s => { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619); } return (h >>> 0).toString(16) + ':' + s.length; };
  let parts = [...root.querySelectorAll('.widget-output')];
  let text;
  if (parts.length) {
    text = parts.map(el => el.textContent).join('\\n');
  } else {
    const clone = root.cloneNode(true);
    clone.querySelectorAll('.widget-slider').forEach(el => el.remove());
    parts = [clone];
    text = clone.textContent;
  }
  const images = parts.flatMap(el => [...el.querySelectorAll('img')].map(img => img.src));
  const svgs = parts.flatMap(el => [...el.querySelectorAll('svg')].map(svg => svg.outerHTML));
  const all = text + '\\n' + images.join('\\n') + '\\n' + svgs.join('\\n');
  return {
    key: hash(all),
    preview: text.replace(/\\s+/g, ' ').trim().slice(0, 200),
    n_images: images.length + svgs.length,
    empty: !text.trim() && !images.length && !svgs.length,
  };
}
"""


class Deadline:
    """A time budget for one notebook; every wait in the test is bounded by it."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self, cap: float | None = None) -> float:
        left = max(0.0, self.end - time.monotonic())
        return left if cap is None else min(left, cap)


def wait_for(predicate, timeout: float, what: str, describe=lambda: ""):
    """Poll predicate() until it returns something truthy, or fail after timeout seconds."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= end:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}. {describe()}")
        time.sleep(POLL)


def notebook_state(page) -> dict:
    empty = {"status": None, "kernel": None, "prompts": [], "errors": [], "stderr": [], "dialog": None}
    return page.evaluate(NOTEBOOK_STATE_JS) or empty


def kernel_idle(state: dict) -> bool:
    """The notebook's kernel is connected and idle (before it starts, Lab shows 'idle' with 'No Kernel')."""
    return state["status"] == "idle" and state["kernel"] not in (None, "", "No Kernel")


def assert_no_errors(page, when: str) -> dict:
    state = notebook_state(page)
    if state["errors"]:
        pytest.fail(f"error output {when}:\n" + "\n-----\n".join(state["errors"]))
    return state


def click_menu(page, menu: str, item: str) -> None:
    """Use the main menu bar as a learner does, e.g. Run > Run All Cells."""
    page.locator("#jp-MainMenu").get_by_text(menu, exact=True).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


# ----------------------------------------------------------------------------------------------
# Opening and running a notebook
# ----------------------------------------------------------------------------------------------
def open_notebook(page, lab_server, path: Path, n_code_cells: int, deadline: Deadline) -> None:
    workspace = f"e2e-{re.sub(r'[^A-Za-z0-9]+', '-', path.stem)}-{time.monotonic_ns()}"
    page.goto(lab_server.url_for(path, workspace), wait_until="domcontentloaded")

    def ready():
        state = notebook_state(page)
        return kernel_idle(state) and len(state["prompts"]) == n_code_cells

    wait_for(
        ready,
        deadline.left(90),
        f"{path.name} to open with an idle kernel",
        lambda: f"last state: {notebook_state(page)}",
    )


DIRTY_TAB_JS = "() => document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-dirty').length"
DIRTY_WAIT = 3.0  # seconds: Lab marks a notebook whose stored kernelspec differs about 1 s after opening


def assert_opening_leaves_it_unmodified(page, path: Path) -> None:
    """Just opening a notebook must not mark it changed (else autosave rewrites the learner's copy)."""
    end = time.monotonic() + DIRTY_WAIT
    while time.monotonic() < end:
        if page.evaluate(DIRTY_TAB_JS):
            pytest.fail(f"{path.name} is marked modified right after opening, before anything ran "
                        "(is its stored kernelspec the one this environment provides?)")
        time.sleep(POLL)


def run_all_cells(page, code_sources: list[str], deadline: Deadline) -> dict:
    click_menu(page, "Edit", "Clear Outputs of All Cells")
    wait_for(
        lambda: all(not EXECUTED_PROMPT.match(p) for p in notebook_state(page)["prompts"]),
        deadline.left(20),
        "the execution counts to be cleared",
    )
    click_menu(page, "Run", "Run All Cells")
    must_run = [bool(src.strip()) for src in code_sources]  # Lab does not send empty cells

    def finished():
        state = notebook_state(page)
        prompts = state["prompts"]
        if state["dialog"]:
            pytest.fail(f"a dialog interrupted Run All Cells: {state['dialog']!r}")
        if not kernel_idle(state) or any("*" in p for p in prompts) or len(prompts) != len(must_run):
            return None
        if state["errors"]:
            return state  # the run stopped at an error; reported by the caller
        if all(EXECUTED_PROMPT.match(p) for p, need in zip(prompts, must_run, strict=True) if need):
            return state
        return None

    return wait_for(
        finished,
        deadline.left(),
        "Run All Cells to finish (every non-empty code cell numbered, kernel idle)",
        lambda: f"last state: {notebook_state(page)}",
    )


# ----------------------------------------------------------------------------------------------
# Widgets and sliders
# ----------------------------------------------------------------------------------------------
def widget_roots(page, code_sources: list[str], deadline: Deadline) -> list[tuple[int, object]]:
    """The rendered widget of every cell that displays one, as (cell index, locator) pairs."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    roots = []
    for index, src in enumerate(code_sources):
        if not WIDGET_DISPLAY_RE.search(src):
            continue
        views = cells.nth(index).locator(WIDGET_VIEW)
        output = cells.nth(index).locator(".jp-Cell-outputArea")
        wait_for(
            lambda views=views: views.count() > 0,
            deadline.left(20),
            f"the widget of code cell {index + 1} to render",
            lambda output=output: f"its output reads: {output.inner_text()[:300]!r}",
        )
        roots.append((index, views.first))
    return roots


def sliders_of(root) -> list:
    handles = root.locator(".widget-slider .noUi-handle")
    sliders = []
    for i in range(handles.count()):
        handle = handles.nth(i)
        if handle.get_attribute("data-handle") in (None, "0"):  # one handle per slider (range: the lower)
            sliders.append(handle)
    return sliders


def slider_label(handle) -> str:
    box = handle.locator("xpath=ancestor::div[contains(@class, 'widget-slider')][1]")

    def text(selector: str) -> str:
        found = box.locator(selector)
        return (found.first.text_content() or "").strip() if found.count() else ""

    return f"{text('.widget-label') or '(no label)'}={text('.widget-readout')}"


def slider_value(handle) -> str:
    """The handle's position: noUiSlider rounds aria-valuenow to one decimal, aria-valuetext is exact."""
    return handle.get_attribute("aria-valuetext") or handle.get_attribute("aria-valuenow")


def snapshot(root) -> dict:
    return root.evaluate(WIDGET_SNAPSHOT_JS)


def reachable_box(page, handle, tries: int = 15) -> dict | None:
    """Scroll the handle into view and return its box once the layout holds still and a click there hits it.

    Lab renders off-screen cells lazily (content-visibility), so scrolling can shift the layout
    for a moment: a box measured too early sends the mouse to the wrong place.
    """
    viewport = page.viewport_size
    for _ in range(tries):
        handle.scroll_into_view_if_needed()
        first = handle.bounding_box()
        time.sleep(0.2)
        box = handle.bounding_box()
        if not box or box != first:
            continue
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        inside = 0 <= x < viewport["width"] and 0 <= y < viewport["height"]
        if inside and handle.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", [x, y]):
            return box
    return None


def drag(page, handle, fraction: float, forward: bool) -> bool:
    """Drag the handle along its track by a fraction of the track's width, as a mouse user does."""
    box = reachable_box(page, handle)
    if box is None:
        return False
    track = handle.locator("xpath=ancestor::div[contains(@class, 'noUi-base')][1]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    dx = max(8.0, fraction * track["width"]) * (1 if forward else -1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=6)
    page.mouse.up()
    return True


def wait_for_value_change(handle, before: str, timeout: float = 5) -> str:
    end = time.monotonic() + timeout
    while slider_value(handle) == before and time.monotonic() < end:
        time.sleep(POLL)
    return slider_value(handle)


def move_slider(page, handle, use_mouse: bool, label: str) -> tuple[str, str, str]:
    """Move a slider with a short drag (mouse) or one step (keyboard).

    Returns the value before, the value after, and how it was moved. A short drag can stay within
    half a step of a coarse slider: then a longer drag is tried, and last the keyboard; the
    returned method says which one moved it.
    """
    handle.scroll_into_view_if_needed()
    before = slider_value(handle)
    forward = float(handle.get_attribute("aria-valuenow")) < float(handle.get_attribute("aria-valuemax"))
    if use_mouse:
        for fraction in (0.08, 0.3):
            if not drag(page, handle, fraction, forward):
                break  # the handle never held still in view: use the keyboard
            after = wait_for_value_change(handle, before, timeout=3)
            if after != before:
                return before, after, f"mouse drag {fraction:.0%} of the track"
    handle.focus()
    page.keyboard.press("ArrowRight" if forward else "ArrowLeft")
    after = wait_for_value_change(handle, before)
    if after != before:
        return before, after, "keyboard" + (", the drags did not move it" if use_mouse else "")
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    pytest.fail(f"{label} did not move: value stays {before}; focused element: {focused}")


def wait_for_redraw(page, root, before: dict, what: str, deadline: Deadline) -> dict:
    """Wait until the widget's output differs from `before`, then until it settles with the kernel idle."""
    wait_for(
        lambda: (lambda snap: snap["key"] != before["key"] and not snap["empty"])(snapshot(root)),
        deadline.left(SLIDER_TIMEOUT),
        f"the output to change after moving {what}",
        lambda: f"output still reads {snapshot(root)['preview']!r}; state: {notebook_state(page)}",
    )
    previous = {"key": None}

    def settled():
        snap = snapshot(root)
        stable = snap["key"] == previous["key"]
        previous["key"] = snap["key"]
        return snap if stable and kernel_idle(notebook_state(page)) else None

    return wait_for(settled, deadline.left(SLIDER_TIMEOUT), f"the output to settle after moving {what}")


# ----------------------------------------------------------------------------------------------
# The test
# ----------------------------------------------------------------------------------------------
def test_widgets_in_lab(notebook_path, request, pytestconfig):
    if notebook_path is None:
        pytest.fail("no notebook under notebooks/ uses widgets; the course always has some (discovery is broken?)")
    lab_server = request.getfixturevalue("lab_server")  # started only once there is a notebook to test
    lab_page = request.getfixturevalue("lab_page")
    page = lab_page.page
    deadline = Deadline(NOTEBOOK_TIMEOUT)
    started = time.monotonic()
    original_bytes = notebook_path.read_bytes()
    log_offset = lab_server.log_size()
    cells = nbformat.reads(original_bytes.decode(), as_version=4).cells
    code_sources = [cell.source for cell in cells if cell.cell_type == "code"]

    open_notebook(page, lab_server, notebook_path, len(code_sources), deadline)
    assert_opening_leaves_it_unmodified(page, notebook_path)
    state = run_all_cells(page, code_sources, deadline)
    if state["errors"]:
        pytest.fail("error output after Run All Cells:\n" + "\n-----\n".join(state["errors"]))
    for text in state["stderr"]:
        print(f"note: stderr output (not an error): {text[:300]!r}")
    ran_in = time.monotonic() - started

    roots = widget_roots(page, code_sources, deadline)
    assert roots, f"{notebook_path.name}: no cell displays a widget (expected a cell like display(make_...()))"

    moved = []
    first_with_sliders = True
    for index, root in roots:
        sliders = sliders_of(root)
        if not sliders:
            continue
        chosen = sliders if first_with_sliders else sliders[:1]
        for k, handle in enumerate(chosen):
            label = f"slider {slider_label(handle)} of the widget in code cell {index + 1}"
            before = snapshot(root)
            assert not before["empty"], f"{label}: the widget shows no output before any move"
            use_mouse = first_with_sliders and k == 0
            value_before, value_after, method = move_slider(page, handle, use_mouse, label)
            after = wait_for_redraw(page, root, before, label, deadline)
            assert_no_errors(page, f"after moving {label}")
            moved.append(
                f"cell {index + 1}: {slider_label(handle)} ({method}, "
                f"{value_before} -> {value_after}): {before['preview'][:60]!r} -> {after['preview'][:60]!r}"
            )
        first_with_sliders = False
    assert moved, f"{notebook_path.name}: no widget has a slider to move"
    writes = lab_server.file_writes_since(log_offset)
    assert not writes, "Lab saved, renamed or deleted a file:\n" + "\n".join(writes)
    if notebook_path.read_bytes() != original_bytes:
        print("note: the notebook changed on disk during the test, though Lab did not save it")

    elapsed = time.monotonic() - started
    print(f"{notebook_path.name}: ran in {ran_in:.1f} s, {len(roots)} widgets, {len(moved)} sliders, {elapsed:.1f} s")
    print("\n".join(moved))
    stats = pytestconfig._e2e_stats = getattr(pytestconfig, "_e2e_stats", [])
    stats.append((notebook_path.name, len(roots), len(moved), elapsed))
