"""The built website, as a reader without a network sees it (marker ``site``; run: bash tests/site/run.sh).

Every page is opened in headless Chromium with every request to another host aborted, and must
still show its equations typeset by MathJax (no raw TeX left), load all its images, raise no
JavaScript error and ask for nothing it cannot have. Widget outputs show their preview and a note,
never a dead widget. Every link inside the site resolves, down to the #fragment.
"""

from __future__ import annotations

import html.parser
import json
import re
import subprocess
import sys
import textwrap
import urllib.parse
from collections import deque
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, SCREENSHOTS

pytestmark = pytest.mark.site

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOTEBOOKS = sorted(p for p in (REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DOC_PAGES = [
    "docs/index",
    "docs/equations",
    "docs/exercises",
    "docs/tests",
    "docs/api/index",
    "docs/api/course_utils.layers",
]
PAGES = DOC_PAGES + [f"notebooks/{p.stem}" for p in NOTEBOOKS]
SCREENSHOT_OF = {"notebooks/05_backpropagation": "05_backpropagation.png", "docs/equations": "equation_index.png"}
# TeX that MathJax should have replaced: any of these in the visible prose means an equation broke.
RAW_TEX = re.compile(
    r"\$\$|\\\(|\\\)|\\\[|\\\]"
    r"|\\(frac|sum|begin|end|mathbf|mathrm|left|right|partial|odot|cdot|sigma)\b"
    r"|\$[^$\n]{1,200}\$"
)


def explorer_outputs(notebook: Path) -> list[bool]:
    """For each widget output of an explorer in the notebook: whether it stored a preview picture."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and ("image/png" in data or re.search(r"\bmake_\w+\s*\(|\binteract", source)):
                found.append("image/png" in data)
    return found


VISIBLE_TEXT_JS = """() => {
    const body = document.querySelector('article') || document.body;
    const copy = body.cloneNode(true);
    copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .cell_output, .headerlink')
        .forEach(e => e.remove());
    return copy.textContent;
}"""

MATH_JS = """() => {
    const maths = [...document.querySelectorAll('span.math, div.math')];
    return {
        total: maths.length,
        typeset: maths.filter(m => m.querySelector('mjx-container')).length,
        errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent).slice(0, 10),
    };
}"""

IMAGES_JS = """() => [...document.images]
    .filter(img => !(img.complete && img.naturalWidth > 0))
    .map(img => img.getAttribute('src'))"""

WIDGETS_JS = """() => ({
    notes: [...document.querySelectorAll('p.widget-note')].map(n => {
        const prev = n.previousElementSibling;
        const img = prev && (prev.tagName === 'IMG' ? prev : prev.querySelector('img'));
        return {text: n.textContent, preview: !!(img && img.complete && img.naturalWidth > 0)};
    }),
    dead: document.querySelectorAll(
        'script[type="application/vnd.jupyter.widget-view+json"], '
        + 'script[type="application/vnd.jupyter.widget-state+json"], .jupyter-widgets, .widget-subarea'
    ).length,
    text: document.body.innerText,
})"""


@pytest.mark.parametrize("page_name", PAGES)
def test_page_renders_offline(page_name, site, offline_page):
    """Typeset maths, loaded images, no JavaScript error, no request to another host, no dead widget."""
    assert (site / f"{page_name}.html").exists(), f"{page_name}.html is not in the built site"
    p = offline_page
    p.page.goto(f"{p.base_url}/{page_name}.html", wait_until="load")
    p.page.wait_for_function(
        "() => window.MathJax === undefined || (window.MathJax.startup && window.MathJax.startup.promise)"
    )
    p.page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise.then(() => 1) : 0")
    p.page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    p.page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
    p.page.wait_for_load_state("networkidle", timeout=60_000)

    assert not p.blocked, f"{page_name} asked other hosts for: {p.blocked}"
    assert not p.failed, f"{page_name}: requests for files the site does not have: {p.failed}"
    assert not p.errors, f"{page_name}: JavaScript errors: {p.errors}"

    math = p.page.evaluate(MATH_JS)
    assert math["typeset"] == math["total"], (
        f"{page_name}: {math['total'] - math['typeset']} of {math['total']} equations not typeset"
    )
    assert not math["errors"], f"{page_name}: MathJax could not typeset: {math['errors']}"
    if page_name.startswith("notebooks/") or page_name == "docs/equations":
        assert math["total"] > 0, f"{page_name} shows no equation at all"
    raw = sorted({m.group(0) for m in RAW_TEX.finditer(p.page.evaluate(VISIBLE_TEXT_JS))})
    assert not raw, f"{page_name}: raw TeX left in the text: {raw[:10]}"

    missing = p.page.evaluate(IMAGES_JS)
    assert not missing, f"{page_name}: images that did not load: {missing}"

    widgets = p.page.evaluate(WIDGETS_JS)
    assert widgets["dead"] == 0, (
        f"{page_name}: {widgets['dead']} widget views or states that cannot work without a kernel"
    )
    for bad in ("model not found", "Loading widget", "interactive(children=", "Error displaying widget"):
        assert bad not in widgets["text"], f"{page_name} shows {bad!r}"
    if page_name.startswith("notebooks/"):
        expected = explorer_outputs(REPO_ROOT / f"{page_name}.ipynb")
        notes = widgets["notes"]
        assert len(notes) == len(expected), f"{page_name}: {len(notes)} widget notes for {len(expected)} widgets"
        for k, (note, has_preview) in enumerate(zip(notes, expected, strict=True)):
            assert "JupyterLab" in note["text"], f"{page_name}: widget {k + 1}'s note does not say where it moves"
            assert note["preview"] == has_preview, (
                f"{page_name}: widget {k + 1}: preview shown {note['preview']}, stored {has_preview}"
            )


# ------------------------------------------------------------------------------------------------
# Links
# ------------------------------------------------------------------------------------------------
class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag != "meta" else ():
            if attrs.get(key):
                self.ids.add(attrs[key])
        url = attrs.get("href") if tag in ("a", "link") else attrs.get("src") if tag in ("img", "script") else None
        if url:
            self.links.append(url)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


def test_every_internal_link_resolves(site):
    """Crawl from the front page: every link inside the site reaches a file, and its #fragment an id there."""
    parsed: dict[Path, _Links] = {}

    def parse(page):
        if page not in parsed:
            parsed[page] = _parse(page)
        return parsed[page]

    start = [site / "index.html", site / "docs" / "index.html"]
    queue, seen, broken, checked = deque(start), set(start), [], 0
    while queue:
        page = queue.popleft()
        for url in parse(page).links:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:")):
                continue  # another host (a plain hyperlink in the prose) or not a location
            target = page if not parts.path else (page.parent / urllib.parse.unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if site not in target.parents or not target.exists():
                broken.append(f"{page.relative_to(site)}: {url} (no such file)")
                continue
            if target.suffix == ".html":
                if parts.fragment and urllib.parse.unquote(parts.fragment) not in parse(target).ids:
                    broken.append(f"{page.relative_to(site)}: {url} (no id {parts.fragment!r} there)")
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    assert not broken, f"{len(broken)} broken links of {checked}:\n" + "\n".join(broken[:50])
    for notebook in NOTEBOOKS:
        page = site / "notebooks" / f"{notebook.stem}.html"
        assert page in seen, f"{notebook.name} has no page reachable from the front page"
    assert len(seen) > len(NOTEBOOKS) + len(DOC_PAGES)


def test_equation_index_lists_every_derived_equation(site):
    """The index page has a row for every equation the notebooks derive, linked to its notebook."""
    sys.path.insert(0, str(REPO_ROOT / "tools"))
    try:
        import equation_index
    finally:
        sys.path.pop(0)
    index = equation_index.collect(REPO_ROOT)
    page = (site / "docs" / "equations.html").read_text(encoding="utf-8")
    entries = [
        f"{c}.{n}" for c, n in re.findall(r'class="equation-entry docutils container" id="eq-(\d+)-(\d+)"', page)
    ]
    assert entries == [e.eid for e in index.derived()]
    for e in index.derived():
        assert f'href="../notebooks/{Path(e.derivation.notebook.path).stem}.html' in page, e.eid


# ------------------------------------------------------------------------------------------------
# Widget outputs, on a notebook made for the purpose (the course's own notebooks change)
# ------------------------------------------------------------------------------------------------
def _png() -> str:
    import base64
    import io

    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


MARKDOWN = "# Widgets\n\n$$x = \\sum_{\\substack{a \\\\ b}} y \\tag{1.1}$$"


def test_widget_outputs_become_preview_and_note(tmp_path):
    """show_widget's output shows its picture and note; an old display(make_x()) shows a note; a
    progress bar keeps its text; no widget view reaches the page."""
    from course_utils.widgets._show import NOTE

    view = {"model_id": "0123", "version_major": 2, "version_minor": 0}
    cells = [
        ("show_widget(make_eps_explorer())", {WIDGET_VIEW: view, "text/plain": NOTE, "image/png": _png()}),
        ("display(make_linear_fit_explorer())", {WIDGET_VIEW: view, "text/plain": "interactive(children=(Slider(),))"}),
        ("for _ in tqdm(range(3)): pass", {WIDGET_VIEW: view, "text/plain": "100%|##########| 3/3"}),
    ]  # fmt: skip
    nb = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"}},
        "cells": [{"cell_type": "markdown", "id": "t", "metadata": {}, "source": MARKDOWN}]
        + [{"cell_type": "code", "id": f"c{k}", "metadata": {}, "execution_count": k + 1, "source": src,
            "outputs": [{"output_type": "display_data", "metadata": {}, "data": data}]}
           for k, (src, data) in enumerate(cells)],
    }  # fmt: skip
    src = tmp_path / "src"
    src.mkdir()
    (src / "widgets.ipynb").write_text(json.dumps(nb))
    (src / "conf.py").write_text(
        textwrap.dedent(f"""
        import sys
        exec(open({str(REPO_ROOT / "docs" / "conf.py")!r}).read())
        sys.path.insert(0, {str(REPO_ROOT / "docs" / "_ext")!r})
        import course_site
        extensions = ["myst_nb"]
        root_doc = "widgets"
        include_patterns = ["widgets.ipynb"]
        exclude_patterns = []
        html_theme = "basic"
        html_theme_options = {{}}
        html_static_path = html_extra_path = html_css_files = []
        def setup(app):
            app.connect("doctree-read", course_site.widget_outputs)
            app.connect("doctree-read", course_site.display_math_as_written)
    """)
    )
    out = tmp_path / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(out)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    page = (out / "widgets.html").read_text(encoding="utf-8")
    body = page[page.index("<body") :]
    assert WIDGET_VIEW not in body and "widget-state" not in body
    notes = re.findall(r'<p class="widget-note"><em>(.*?)</em></p>', body)
    assert notes == [
        NOTE,
        "Interactive widget: open this notebook in JupyterLab to move its sliders. (No preview of it is stored.)",
    ]
    assert body.count("<img") == 1 and body.index("<img") < body.index(NOTE)
    assert "interactive(children=" not in body
    assert "100%|##########| 3/3" in body
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    # the display reaches MathJax as written, not wrapped in a split environment that rejects \tag
    assert "\\[x = \\sum_{\\substack{a \\\\ b}} y \\tag{1.1}\\]" in body and "begin{split}" not in body


def _open(p, page_name):
    p.page.goto(f"{p.base_url}/{page_name}.html", wait_until="load")
    p.page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise")
    p.page.evaluate("() => window.MathJax.startup.promise.then(() => 1)")
    p.page.wait_for_load_state("networkidle", timeout=60_000)


def test_screenshots(site, offline_page):
    """Pictures of a notebook's equations and of the equation index (and of a widget preview, once
    a notebook stores one), under docs/_build/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = dict(SCREENSHOT_OF)
    with_preview = [p for p in NOTEBOOKS if any(explorer_outputs(p))]
    if with_preview:
        shots[f"notebooks/{with_preview[0].stem}"] = "widget_preview.png"
    for page_name, name in shots.items():
        _open(offline_page, page_name)
        # a widget's preview; a notebook's first display equation; the index's entries for notebook 05
        selector = {"widget_preview.png": "p.widget-note", "equation_index.png": "div.equation-entry[id^=eq-5-]"}
        target = offline_page.page.locator(selector.get(name, "div.math")).first
        target.scroll_into_view_if_needed()
        offline_page.page.evaluate("() => window.scrollBy(0, -120)")
        offline_page.page.screenshot(path=str(SCREENSHOTS / name))
        assert (SCREENSHOTS / name).stat().st_size > 10_000, f"{name} is (nearly) empty"
    assert not offline_page.blocked and not offline_page.errors
