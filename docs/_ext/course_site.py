"""The course website's own Sphinx extension.

- API pages: one page per public ``course_utils`` module, generated from its docstrings (shown as
  written, in a fixed-width block: they are plain text with aligned columns, not reStructuredText).
- The equation index and the tests page, generated from the notebooks, docstrings and tests by
  ``tools/equation_index.py``; the build fails (``SphinxError``) when a rule of the index is broken,
  unless ``-D equation_index_strict=0`` (then the problems are printed and the build goes on).
- Widgets: a widget output keeps its static preview (``image/png``) and gets one line saying that
  the sliders move in JupyterLab; the widget view itself (which needs a kernel) is dropped.
- Offline: MathJax 3 is copied from ``docs/node_modules/mathjax`` (``npm ci --prefix docs``) into the
  site, and after the build every page is scanned for scripts, styles, images or fonts that would be
  fetched from another host (a plain hyperlink is fine).
"""

from __future__ import annotations

import filecmp
import html.parser
import re
import shutil
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "tools"))
import equation_index  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
GENERATED = DOCS / "_generated"
API_DIR = DOCS / "api"
MATHJAX_SRC = DOCS / "node_modules" / "mathjax" / "es5"
# What the site needs from the package: the TeX-to-HTML component, the TeX extensions it loads on
# demand, its fonts, the menu and the accessibility tools (loaded only when a reader turns them on).
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre"]
WIDGET_NOTE = "Interactive widget: open this notebook in JupyterLab to move its sliders."


# ------------------------------------------------------------------------------------------------
# Generated sources (written before Sphinx reads anything; rewritten only when they change)
# ------------------------------------------------------------------------------------------------
def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def public_modules() -> list[str]:
    """The course_utils modules that get an API page: no leading underscore; exercises' registry excluded."""
    names = []
    for path in sorted((ROOT / "course_utils").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts) or (len(parts) > 2 and parts[1] == "exercises"):
            continue
        names.append(".".join(parts))
    return names


def write_api_pages() -> None:
    """One reStructuredText page per module (autodoc's output is reStructuredText)."""
    wanted = {}
    modules = public_modules()
    for module in modules:
        is_package = (ROOT / Path(*module.split("."))).is_dir()
        options = ["   :members:", "   :undoc-members:"]
        if is_package:
            # the package re-exports names defined elsewhere: its own page lists the modules
            # (course_utils), or documents what its __all__ re-exports (widgets, exercises)
            options = [] if module == "course_utils" else options + ["   :imported-members:"]
        title = f"``{module}``"
        body = [title, "=" * len(title), "", f".. automodule:: {module}", *options, ""]
        if module == "course_utils":
            body += ["The modules:", "", *[f"- :py:mod:`{m}`" for m in modules if m != module], ""]
        wanted[f"{module}.rst"] = "\n".join(body)
    for stale in list(API_DIR.glob("course_utils*.rst")) + list(API_DIR.glob("course_utils*.md")):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        _write_if_changed(API_DIR / name, text)


def _myst_slugger(app: Sphinx):
    """slug(notebook, heading) -> the anchor MyST gives that heading on the notebook's page."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    try:
        from myst_parser.slugs import github_slugify, unique_slug
    except ImportError:  # myst-parser before 5.2
        from myst_parser.mdit_to_docutils.base import default_slugify as github_slugify

        def unique_slug(slug, existing):
            uniq, i = slug, 1
            while uniq in existing:
                uniq, i = f"{slug}-{i}", i + 1
            return uniq

    config = MdParserConfig(
        enable_extensions=set(app.config.myst_enable_extensions),
        dmath_double_inline=app.config.myst_dmath_double_inline,
        heading_anchors=app.config.myst_heading_anchors,
    )
    md = create_md_parser(config, RendererHTML)
    cache: dict[str, dict] = {}

    def slugs_of(notebook):
        import json

        cells = json.loads((ROOT / notebook.path).read_text(encoding="utf-8"))["cells"]
        seen: dict[str, None] = {}
        by_cell: dict[tuple[int, int], tuple[str, str]] = {}
        for ci, cell in enumerate(cells):
            if cell.get("cell_type") != "markdown":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            tokens = md.parse(source)
            ordinal = 0
            for k, tok in enumerate(tokens):
                if tok.type != "heading_open":
                    continue
                inline = tokens[k + 1]
                title = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
                if int(tok.tag[1]) <= config.heading_anchors:
                    slug = unique_slug(github_slugify(title), seen)
                    if slug:
                        seen[slug] = None
                        by_cell[(ci, ordinal)] = (slug, inline.content.strip())
                ordinal += 1
        return by_cell

    def slug(notebook, heading):
        if notebook.path not in cache:
            cache[notebook.path] = slugs_of(notebook)
        cell, ordinal, _level, text = heading
        found = cache[notebook.path].get((cell, ordinal))
        if found and found[1] == text:
            return found[0]
        matches = [s for s, t in cache[notebook.path].values() if t == text]
        return matches[0] if len(matches) == 1 else None

    return slug


INDEX_INTRO = """\
% generated by docs/_ext/course_site.py from tools/equation_index.py: do not edit
"""


EXERCISE_HEADING = re.compile(r"\bExercise (\d+\.\d+)\b[:.]?\s*(.*)")


def render_exercises(index, slug) -> str:
    """The exercises of each notebook, linked to their section, with the learner edition to download."""
    lines = []
    for number in sorted(index.notebooks):
        nb = index.notebooks[number]
        found = [(h, m) for h in nb.headings if (m := EXERCISE_HEADING.search(h[3]))]
        if not found:
            continue
        learner = ROOT / "exercises" / Path(nb.path).name
        lines += [f"**[{nb.title}](../{nb.path})**"]
        if learner.exists():
            lines[-1] += f" · {{download}}`learner edition </exercises/{learner.name}>`"
        lines.append("")
        for heading, m in found:
            anchor = slug(nb, heading)
            target = f"../{nb.path}" + (f"#{anchor}" if anchor else "")
            lines.append(f"- [Exercise {m.group(1)}]({target}): {m.group(2)}")
        lines.append("")
    return "\n".join(lines) or "No notebook of this edition has exercises marked yet.\n"


def write_equation_pages(app: Sphinx) -> None:
    index = equation_index.collect(ROOT)
    app.course_equation_index = index
    slug = _myst_slugger(app)
    table = INDEX_INTRO + equation_index.render_markdown(index, slugs=slug, base="../")
    _write_if_changed(GENERATED / "exercises.md", INDEX_INTRO + render_exercises(index, slug))
    tests = INDEX_INTRO + equation_index.render_tests_markdown(index, base="/")
    _write_if_changed(GENERATED / "equations.md", table)
    _write_if_changed(GENERATED / "tests.md", tests)
    derived = index.derived()
    logger.info(
        f"equation index: {len(derived)} equations derived in {len(index.notebooks)} notebooks, "
        f"{len(index.pending())} pending, {len(index.problems)} problems"
    )
    if index.problems:
        log = logger.warning if app.config.equation_index_strict else logger.info
        for problem in index.problems:
            log(f"equation index: {problem}", type="equation_index")


def builder_inited(app: Sphinx) -> None:
    if not (MATHJAX_SRC / "tex-chtml.js").exists():
        raise ConfigError(
            f"MathJax is missing ({MATHJAX_SRC.relative_to(ROOT)}): run `npm ci --prefix docs` first; "
            "the site serves MathJax itself so that it works offline"
        )
    write_api_pages()
    write_equation_pages(app)
    check_readme_commands()


def check_readme_commands() -> None:
    """The front page shows README's two commands; warn when they drift apart."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    front = (DOCS / "index.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in front.splitlines() if line.startswith("python3 -m venv")]
    if len(commands) != 2:
        logger.warning(f"docs/index.md should show README's two commands; it shows {len(commands)}")
    for command in commands:
        if command not in readme:
            logger.warning(f"docs/index.md shows a command that README.md does not have: {command}")


def env_get_outdated(app, env, added, changed, removed):
    """The generated pages depend on every notebook, module and test: re-read them on every build."""
    return [d for d in ("docs/equations", "docs/tests", "docs/exercises", "docs/api/index") if d in env.found_docs]


# ------------------------------------------------------------------------------------------------
# Widgets
# ------------------------------------------------------------------------------------------------
def _cell_source(node: nodes.Node) -> str:
    while node is not None and not (isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"):
        node = node.parent
    if node is None:
        return ""
    sources = [n for n in node.findall(nodes.literal_block)]
    return sources[0].astext() if sources else ""


def widget_outputs(app: Sphinx, doctree: nodes.document) -> None:
    """A widget's output: its preview picture and a note, never a dead widget or its text repr."""
    bundles = [
        n for n in doctree.findall(nodes.container)
        if n.get("nb_element") == "mime_bundle" and any(c.get("mime_type") == WIDGET_VIEW for c in n.children)
    ]  # fmt: skip
    for bundle in bundles:
        by_type = {c.get("mime_type"): c for c in bundle.children}
        plain = by_type.get("text/plain")
        plain_text = plain.astext().strip() if plain is not None else ""
        is_explorer = "image/png" in by_type or bool(re.search(r"\bmake_\w+\s*\(|\binteract", _cell_source(bundle)))
        bundle.remove(by_type[WIDGET_VIEW])
        if not is_explorer:
            continue  # some other widget (a progress bar): its text/plain is what a reader needs
        note_text = plain_text if plain_text.startswith("Interactive widget") else WIDGET_NOTE
        if "image/png" not in by_type:
            note_text = WIDGET_NOTE + " (No preview of it is stored.)"
        if plain is not None:
            bundle.remove(plain)
        note = nodes.paragraph("", "", nodes.emphasis("", note_text), classes=["widget-note"])
        if bundle.children:
            bundle.parent.insert(bundle.parent.index(bundle) + 1, note)
        else:
            bundle.replace_self(note)


# ------------------------------------------------------------------------------------------------
# Display maths as JupyterLab shows it
# ------------------------------------------------------------------------------------------------
def display_math_as_written(app: Sphinx, doctree: nodes.document) -> None:
    """Give MathJax each $$...$$ exactly as written, as JupyterLab does.

    Sphinx wraps a display that contains \\\\ in \\begin{split} (and one with blank lines in
    \\begin{align}); MathJax then rejects a \\tag inside it, as in
    $$\\sum_{\\substack{h \\\\ p}} ... \\tag{10.3}$$, which JupyterLab renders fine.
    """
    for node in doctree.findall(nodes.math_block):
        if node.get("nowrap") or node.get("label") or "amsmath" in node.get("classes", []):
            continue
        latex = node.astext()
        node.children = [nodes.Text(f"\\[{latex}\\]")]
        node["nowrap"] = True


# ------------------------------------------------------------------------------------------------
# Offline
# ------------------------------------------------------------------------------------------------
def copy_mathjax(outdir: Path) -> None:
    target = outdir / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = MATHJAX_SRC / part, target / part
        if src.is_dir():
            for f in src.rglob("*"):
                if f.is_file():
                    d = dst / f.relative_to(src)
                    if not d.exists() or not filecmp.cmp(f, d, shallow=True):
                        d.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(f, d)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            if not dst.exists() or not filecmp.cmp(src, dst, shallow=True):
                shutil.copy2(src, dst)


class _AssetScanner(html.parser.HTMLParser):
    """Collects the URLs a browser would fetch by itself: scripts, styles, images, fonts, frames."""

    FETCHED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
               "audio": "src", "embed": "src", "object": "data", "link": "href", "input": "src"}  # fmt: skip

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = self.FETCHED.get(tag)
        if key and attrs.get(key):
            rel = (attrs.get("rel") or "").lower()
            if tag != "link" or rel not in ("canonical", "alternate", "author", "license", "help"):
                self.urls.append(attrs[key])
        for src in (attrs.get("srcset") or "").split(","):
            if src.strip():
                self.urls.append(src.strip().split()[0])
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style") or ""):
            self.urls.append(url)

    def handle_data(self, data):
        if self.lasttag == "style":
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", data)


def external_assets(outdir: Path) -> list[str]:
    """'page: url' for every asset of the built site that would be fetched from another host."""
    found = []
    for page in sorted(outdir.rglob("*.html")):
        scanner = _AssetScanner()
        scanner.feed(page.read_text(encoding="utf-8", errors="replace"))
        for url in scanner.urls:
            url = url if isinstance(url, str) else next(u for u in url if u)
            if re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I) and not url.lower().startswith("file:"):
                found.append(f"{page.relative_to(outdir)}: {url}")
    for css in sorted(outdir.rglob("*.css")):
        for url in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(errors="replace")):
            found.append(f"{css.relative_to(outdir)}: {url}")
        for url in re.findall(r"@import\s+(?:url\()?['\"]?((?:https?:)?//[^'\")]+)", css.read_text(errors="replace")):
            found.append(f"{css.relative_to(outdir)}: {url}")
    return found


def build_finished(app: Sphinx, exception) -> None:
    """Copy MathJax into the site; fail the build (with or without -W) on a remote asset or a broken index rule."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    copy_mathjax(outdir)
    remote = external_assets(outdir)
    for asset in remote:
        logger.error(f"the site would fetch this from another host (it must work offline): {asset}")
    index = getattr(app, "course_equation_index", None)
    broken = index.problems if (index is not None and app.config.equation_index_strict) else []
    if broken:
        logger.error(
            f"the equation index check failed: {len(broken)} problems (listed above; the rules are on the "
            "equation index page and in tools/equation_index.py). -D equation_index_strict=0 builds anyway."
        )
    if remote or broken:
        app.statuscode = 1


# ------------------------------------------------------------------------------------------------
# Docstrings as written
# ------------------------------------------------------------------------------------------------
def docstring_as_written(app, what, name, obj, options, lines):
    """Show a docstring as a learner sees it in help(): plain text, columns kept."""
    if any(line.strip() for line in lines):
        lines[:] = [".. code-block:: text", "   :class: docstring", ""] + ["   " + line for line in lines] + [""]


def missing_reference(app, env, node, contnode):
    """A link to course_utils that resolves to nothing is an error, not silent plain text."""
    target = node.get("reftarget", "")
    if node.get("refdomain") == "py" and target.startswith("course_utils"):
        logger.warning(f"no API entry for {target}", location=node, type="course_site")


def setup(app: Sphinx):
    app.add_config_value("equation_index_strict", True, "env", types=[bool, int])
    app.connect("builder-inited", builder_inited)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("doctree-read", widget_outputs)
    app.connect("doctree-read", display_math_as_written)
    app.connect("autodoc-process-docstring", docstring_as_written)
    app.connect("missing-reference", missing_reference)
    app.connect("build-finished", build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
