"""The equation index: every equation ID, where it is derived, what implements it, what checks it.

The course numbers its equations (5.2) = notebook 05, equation 2. This module reads

- the notebooks (``notebooks/NN_*.ipynb``): an equation is **derived** in notebook NN where a display
  equation (``$$ ... $$`` or ``\\begin{equation} ... \\end{equation}``) of a Markdown cell carries its
  ID, as ``\\tag{5.2}`` or as ``(5.2)`` inside the display or right after its closing ``$$``;
- the docstrings of ``course_utils``: a public function, class or method (a name without a leading
  underscore, in a module without one, outside the ``exercises`` checks) **implements** every ID
  its docstring mentions, e.g. "Equation (5.2)" or "(5.2)-(5.4)";
- the tests (``tests/**/*.py``): a test **checks** every ID that its docstring or a comment in it
  mentions (a mention outside any function belongs to the whole file; the index's own tests,
  ``tests/test_equation_index.py``, check no equation);
- the exercises (``course_utils/exercises/nbNN.py``): the ``equation=`` of each ``Exercise``;
- ``docs/test_only_equations.txt``: the IDs that no function implements on purpose (a property or a
  definition that only a test can check, such as (1.3) sigma(-z) = 1 - sigma(z)), each with a reason.

and checks these rules (``check``), which the website's build enforces:

1. **derived**: every ID that a notebook, a docstring, a test or an exercise mentions is derived
   in its own notebook (the ID (5.2) in ``notebooks/05_*.ipynb``). IDs whose notebook does not exist
   yet are *pending*: listed, not an error, until that notebook is added.
2. **checked**: every derived ID is checked by at least one test.
3. **implemented**: every derived ID is implemented by at least one ``course_utils`` function, or
   is on the test-only list.
4. **test only means test only**: an ID on the test-only list is derived, has a reason, and no
   function implements it.

Run ``python tools/equation_index.py`` to print the index and the problems (exit status 1 when a
rule is broken); ``--markdown`` prints the page the website shows. Standard library only.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_ONLY_FILE = Path("docs") / "test_only_equations.txt"
MAX_CHAPTER = 13  # notebooks 00 .. 13
NOT_CHECKS = {"tests/test_equation_index.py"}  # the index's own tests: their examples check no equation

_ID = r"\((\d{1,2})\.(\d{1,2})\)"
ID_RE = re.compile(_ID)
RANGE_RE = re.compile(_ID + r"\s*(?:-|–|—|to)\s*" + _ID)  # (5.2)-(5.4), (5.2)–(5.4)
TAG_RE = re.compile(r"\\tag\*?\{\s*(\d{1,2})\.(\d{1,2})\s*\}")
DISPLAY_RE = re.compile(
    r"\$\$(?P<dollar>.+?)\$\$(?P<after>[ \t]*[,.;:]?[ \t]*(?:" + _ID + r"))?"
    r"|(?P<env>\\begin\{(?P<name>equation|align|gather|multline)\*?\}.+?\\end\{(?P=name)\*?\})",
    re.DOTALL,
)
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
ENV_RE = re.compile(r"\\(?:begin|end)\{(?:align|aligned|gather|gathered|equation|split|multline)\*?\}")
NOTEBOOK_RE = re.compile(r"^(\d{2})_\w+\.ipynb$")


def eq_key(eid: str) -> tuple[int, int]:
    """Sort key of an ID such as "5.12": (5, 12)."""
    chapter, number = eid.split(".")
    return int(chapter), int(number)


def _valid(chapter: str, number: str) -> bool:
    return int(chapter) <= MAX_CHAPTER and int(number) >= 1


def find_ids(text: str) -> list[str]:
    """The equation IDs a text mentions, in order, with ranges such as (5.2)-(5.4) expanded.

    A range within one notebook lists every ID between its ends; a range across notebooks, such
    as (3.1)-(5.5), counts its two ends only.
    """
    found = []
    covered = []
    for m in RANGE_RE.finditer(text):
        c1, n1, c2, n2 = m.groups()
        if not (_valid(c1, n1) and _valid(c2, n2)):
            continue
        if c1 == c2 and int(n1) <= int(n2):
            found += [(m.start(), f"{int(c1)}.{n}") for n in range(int(n1), int(n2) + 1)]
        else:
            found += [(m.start(), f"{int(c1)}.{int(n1)}"), (m.start() + 1, f"{int(c2)}.{int(n2)}")]
        covered.append((m.start(), m.end()))
    for m in ID_RE.finditer(text):
        if any(a <= m.start() < b for a, b in covered) or not _valid(*m.groups()):
            continue
        found.append((m.start(), f"{int(m.group(1))}.{int(m.group(2))}"))
    ordered = []
    for _, eid in sorted(found, key=lambda t: t[0]):
        if eid not in ordered:
            ordered.append(eid)
    return ordered


# ------------------------------------------------------------------------------------------------
# What the index holds
# ------------------------------------------------------------------------------------------------
@dataclass
class Notebook:
    number: int
    path: str  # relative to the repository, e.g. "notebooks/05_backpropagation.ipynb"
    title: str
    headings: list[tuple[int, int, int, str]] = field(default_factory=list)  # (cell, ordinal in cell, level, text)

    @property
    def label(self) -> str:
        return f"{self.number:02d}"


@dataclass
class Display:
    """A display equation of a notebook that carries an ID."""

    notebook: Notebook
    cell: int
    heading: tuple[int, int, int, str] | None  # the heading of the section it sits in
    formula: str


@dataclass
class Mention:
    path: str
    line: int
    owner: str | None  # a function, class or method; None for the whole file


@dataclass
class Implementation:
    module: str  # e.g. "course_utils.layers"
    qualname: str  # e.g. "linear_backward" or "Tensor.backward"
    kind: str  # "function", "class" or "method"
    path: str
    line: int

    @property
    def target(self) -> str:
        return f"{self.module}.{self.qualname}"


@dataclass
class Equation:
    eid: str
    derivation: Display | None = None
    restatements: list[Display] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)  # every mention, anywhere
    implementations: list[Implementation] = field(default_factory=list)
    tests: list[Mention] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    test_only: str | None = None  # the reason, when the ID is on the test-only list

    @property
    def chapter(self) -> int:
        return eq_key(self.eid)[0]


@dataclass
class Index:
    root: Path
    notebooks: dict[int, Notebook]
    equations: dict[str, Equation]
    problems: list[str] = field(default_factory=list)

    def derived(self) -> list[Equation]:
        return [e for e in self.sorted() if e.derivation is not None]

    def pending(self) -> list[Equation]:
        """Equations whose notebook does not exist yet."""
        return [e for e in self.sorted() if e.chapter not in self.notebooks]

    def sorted(self) -> list[Equation]:
        return [self.equations[k] for k in sorted(self.equations, key=eq_key)]

    def test_owners(self) -> dict[str, dict[str | None, list[str]]]:
        """path -> owner (None for the file) -> the IDs it checks, for the tests page."""
        owners: dict[str, dict[str | None, list[str]]] = {}
        for eq in self.sorted():
            for t in eq.tests:
                ids = owners.setdefault(t.path, {}).setdefault(t.owner, [])
                if eq.eid not in ids:
                    ids.append(eq.eid)
        return {p: owners[p] for p in sorted(owners)}


# ------------------------------------------------------------------------------------------------
# Reading the notebooks
# ------------------------------------------------------------------------------------------------
def _cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _mask_fences(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text with fenced code blocks blanked out, and its headings as (offset, level, text)."""
    out, headings, fence, offset = [], [], None, 0
    for line in text.splitlines(keepends=True):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * len(m.group(1))
            out.append(" " * len(line.rstrip("\n")) + ("\n" if line.endswith("\n") else ""))
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append(" " * len(line.rstrip("\n")) + ("\n" if line.endswith("\n") else ""))
        else:
            h = HEADING_RE.match(line.rstrip("\n"))
            if h:
                headings.append((offset, len(h.group(1)), h.group(2).strip()))
            out.append(line)
        offset += len(line)
    return "".join(out), headings


def clean_formula(latex: str, eid: str) -> str:
    """The display's LaTeX without its tag, on one line."""
    chapter, number = eid.split(".")
    tag = re.compile(r"\\tag\*?\{\s*" + chapter + r"\." + number + r"\s*\}")
    bare = re.compile(r"\(\s*" + chapter + r"\." + number + r"\s*\)")
    text = bare.sub("", tag.sub("", latex))
    text = TAG_RE.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(\\q?quad|\\,|\\;|\\ |~|[,.;])+\s*$", "", text).strip()
    return text


def _top_level_rows(latex: str) -> list[str]:
    """The rows of a display, split at the \\\\ that are not inside braces (as in \\substack{a \\\\ b})."""
    rows, depth, start, i = [], 0, 0, 0
    while i < len(latex):
        if latex.startswith("\\\\", i) and depth == 0:
            rows.append(latex[start:i])
            start = i = i + 2
            continue
        if latex[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(latex[i], 0)
        i += 1
    return rows + [latex[start:]]


def _split_rows(latex: str, ids: list[str], eid: str) -> str:
    """The row of a display with several IDs (one per row, split by \\\\) that carries ``eid``; else all of it."""
    if len(ids) < 2:
        return latex
    inner = ENV_RE.sub("", latex)  # the rows of an align (or aligned, gather, ...) without its wrapper
    rows = _top_level_rows(inner)
    mine = [r for r in rows if eid in find_ids(r) or eid in [f"{int(a)}.{int(b)}" for a, b in TAG_RE.findall(r)]]
    if len(rows) < 2 or len(mine) != 1:
        return latex
    return re.sub(r"(?<!\\)&", " ", mine[0])  # the alignment points mean nothing in one row


def read_notebook(path: Path, root: Path) -> tuple[Notebook, list[tuple[str, Display]], list[tuple[str, int]]]:
    """One notebook: its displays with IDs [(id, Display)] and every ID it mentions [(id, cell)]."""
    nb_json = json.loads(path.read_text(encoding="utf-8"))
    number = int(NOTEBOOK_RE.match(path.name).group(1))
    notebook = Notebook(number=number, path=path.relative_to(root).as_posix(), title=path.stem)
    displays: list[tuple[str, Display]] = []
    mentions: list[tuple[str, int]] = []
    current: tuple[int, int, int, str] | None = None
    for ci, cell in enumerate(nb_json.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        text, headings = _mask_fences(_cell_source(cell))
        cell_headings = [(ci, k, level, title) for k, (_, level, title) in enumerate(headings)]
        notebook.headings += cell_headings
        if notebook.title == path.stem and headings and headings[0][1] == 1:
            notebook.title = headings[0][2]
        mentions += [(eid, ci) for eid in find_ids(text)]
        for m in DISPLAY_RE.finditer(text):
            latex = m.group("dollar") if m.group("dollar") is not None else m.group("env")
            ids = [f"{int(a)}.{int(b)}" for a, b in TAG_RE.findall(latex)] + find_ids(latex)
            if m.group("after"):
                ids += find_ids(m.group("after"))
            before = [h for h in zip(headings, cell_headings, strict=True) if h[0][0] <= m.start()]
            heading = before[-1][1] if before else current
            ids = [eid for eid in dict.fromkeys(ids) if _valid(*eid.split("."))]
            for eid in ids:
                formula = clean_formula(_split_rows(latex, ids, eid), eid)
                displays.append((eid, Display(notebook, ci, heading, formula)))
        if cell_headings:
            current = cell_headings[-1]
    return notebook, displays, mentions


# ------------------------------------------------------------------------------------------------
# Reading docstrings, tests and exercises
# ------------------------------------------------------------------------------------------------
def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def implementations(root: Path) -> list[tuple[str, Implementation]]:
    """(ID, implementation) for every public course_utils function, class or method whose docstring has the ID."""
    found = []
    for path in sorted((root / "course_utils").rglob("*.py")):
        module = _module_name(path, root)
        parts = module.split(".")
        if "exercises" in parts or any(p.startswith("_") for p in parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(root).as_posix()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith(
                "_"
            ):
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                for eid in find_ids(ast.get_docstring(node) or ""):
                    found.append((eid, Implementation(module, node.name, kind, rel, node.lineno)))
                if isinstance(node, ast.ClassDef):
                    for sub in node.body:
                        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                            not sub.name.startswith("_") or (sub.name.startswith("__") and sub.name.endswith("__"))
                        ):
                            for eid in find_ids(ast.get_docstring(sub) or ""):
                                found.append(
                                    (eid, Implementation(module, f"{node.name}.{sub.name}", "method", rel, sub.lineno))
                                )
    return found


def _owners(tree: ast.AST) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class, outermost first."""
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                spans.append((start, child.end_lineno, name))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return spans


def test_mentions(root: Path) -> list[tuple[str, Mention]]:
    """(ID, mention) for every ID in a docstring or comment of the tests, owned by its innermost function."""
    found = []
    for path in sorted((root / "tests").rglob("*.py")):
        if path.relative_to(root).as_posix() in NOT_CHECKS:
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        spans = _owners(tree)
        rel = path.relative_to(root).as_posix()

        def owner_of(line, spans=spans):
            inside = [s for s in spans if s[0] <= line <= s[1]]
            return inside[-1][2] if inside else None

        texts: list[tuple[int, str, str | None]] = []
        doc = ast.get_docstring(tree)
        if doc:
            texts.append((1, doc, None))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                d = ast.get_docstring(node)
                if d:
                    texts.append((node.lineno, d, owner_of(node.body[0].lineno)))
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                texts.append((tok.start[0], tok.string, owner_of(tok.start[0])))
        for line, text, owner in texts:
            for eid in find_ids(text):
                found.append((eid, Mention(rel, line, owner)))
    return found


def exercise_mentions(root: Path) -> list[tuple[str, str, Mention]]:
    """(ID, exercise name, mention) for the ``equation=`` of every ``Exercise(...)`` in the registry."""
    found = []
    for path in sorted((root / "course_utils" / "exercises").glob("nb*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Exercise":
                kw = {k.arg: k.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                name, equation = kw.get("name"), kw.get("equation")
                if name is not None and equation is not None and isinstance(equation.value, str):
                    for eid in find_ids(equation.value):
                        found.append((eid, name.value, Mention(path.relative_to(root).as_posix(), node.lineno, None)))
    return found


def docstring_mentions(root: Path) -> list[tuple[str, Mention]]:
    """(ID, mention) for every ID in any docstring of course_utils (public or not), for rule 1."""
    found = []
    for path in sorted((root / "course_utils").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for eid in find_ids(ast.get_docstring(node) or ""):
                    found.append((eid, Mention(rel, getattr(node, "lineno", 1), getattr(node, "name", None))))
    return found


def read_test_only(root: Path) -> tuple[dict[str, str], list[str]]:
    """The test-only list: {ID: reason}, and the problems with the file itself."""
    path = root / TEST_ONLY_FILE
    entries, problems = {}, []
    if not path.exists():
        return entries, problems
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(_ID + r"\s*(.*)$", line)
        if not m:
            problems.append(f"{TEST_ONLY_FILE}:{n}: not of the form '(N.k) reason': {line!r}")
            continue
        eid = f"{int(m.group(1))}.{int(m.group(2))}"
        if not m.group(3).strip():
            problems.append(f"{TEST_ONLY_FILE}:{n}: ({eid}) needs a reason: why does no function implement it?")
        entries[eid] = m.group(3).strip()
    return entries, problems


# ------------------------------------------------------------------------------------------------
# Building and checking the index
# ------------------------------------------------------------------------------------------------
def collect(root: Path = REPO_ROOT) -> Index:
    """Read the notebooks, docstrings, tests, exercises and the test-only list; check the rules."""
    root = Path(root)
    index = Index(root=root, notebooks={}, equations={})

    def eq(eid):
        return index.equations.setdefault(eid, Equation(eid))

    for path in sorted((root / "notebooks").glob("*.ipynb")):
        if not NOTEBOOK_RE.match(path.name):
            continue
        notebook, displays, mentions = read_notebook(path, root)
        index.notebooks.setdefault(notebook.number, notebook)
        for eid, display in displays:
            e = eq(eid)
            if display.notebook.number == e.chapter and e.derivation is None:
                e.derivation = display
            else:
                e.restatements.append(display)
        for eid, cell in mentions:
            eq(eid).mentions.append(Mention(notebook.path, cell, f"cell {cell}"))
    for eid, impl in implementations(root):
        eq(eid).implementations.append(impl)
    for eid, mention in docstring_mentions(root):
        eq(eid).mentions.append(mention)
    for eid, mention in test_mentions(root):
        e = eq(eid)
        e.mentions.append(mention)
        if not any(t.path == mention.path and t.owner == mention.owner for t in e.tests):
            e.tests.append(mention)
    for eid, name, mention in exercise_mentions(root):
        e = eq(eid)
        e.mentions.append(mention)
        if name not in e.exercises:
            e.exercises.append(name)
    test_only, index.problems = read_test_only(root)
    for eid, reason in test_only.items():
        eq(eid).test_only = reason
    index.problems += check(index)
    return index


def _where(m: Mention) -> str:
    return f"{m.path}:{m.line}" if not m.path.endswith(".ipynb") else f"{m.path} ({m.owner})"


def check(index: Index) -> list[str]:
    """The broken rules (see the module docstring), one message per problem, sorted by ID."""
    problems = []
    for e in index.sorted():
        nb = index.notebooks.get(e.chapter)
        if nb is None:
            continue  # pending: its notebook does not exist yet
        if e.derivation is None:
            where = sorted({_where(m) for m in e.mentions})
            shown = ", ".join(where[:4]) + (f" and {len(where) - 4} more" if len(where) > 4 else "")
            extra = ""
            if e.restatements:
                extra = f"; it is displayed in {', '.join(sorted({d.notebook.path for d in e.restatements}))}"
            problems.append(
                f"({e.eid}) not derived: no display equation in {nb.path} carries it{extra}"
                + (f" (mentioned in {shown})" if shown else "")
            )
            continue
        if not e.tests:
            problems.append(f"({e.eid}) not checked: no test under tests/ mentions it in a docstring or comment")
        if e.test_only is not None:
            if e.implementations:
                names = ", ".join(i.target for i in e.implementations)
                problems.append(
                    f"({e.eid}) is on the test-only list ({TEST_ONLY_FILE}) but {names} implements it: "
                    "remove it from the list"
                )
        elif not e.implementations:
            problems.append(
                f"({e.eid}) not implemented: no public course_utils function's docstring mentions it "
                f"(if only a test can check it, add it to {TEST_ONLY_FILE} with the reason)"
            )
    for e in index.sorted():
        if e.test_only is not None and e.chapter in index.notebooks and e.derivation is None:
            problems.append(f"({e.eid}) is on the test-only list ({TEST_ONLY_FILE}) but no notebook derives it")
    return problems


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------
def test_label(path: str, owner: str | None) -> str:
    """The label of a test's section on the tests page."""
    return "eqtest-" + re.sub(r"[^a-z0-9]+", "-", f"{path} {owner or ''}".lower()).strip("-")


def test_title(path: str, owner: str | None) -> str:
    return f"{Path(path).name}::{owner}" if owner else Path(path).name


def _cell_escape(text: str) -> str:
    return text.replace("\n", " ")


def equation_label(eid: str) -> str:
    """The label of an equation's entry on the index page, e.g. "eq-5-2"."""
    return "eq-" + eid.replace(".", "-")


def _impl_order(impl: Implementation) -> tuple[int, str]:
    return (1 if ".widgets." in impl.module else 0, impl.target)  # the core maths first, widgets last


def _tests_md(e: Equation) -> str:
    return ", ".join(f"{{ref}}`{test_title(t.path, t.owner)} <{test_label(t.path, t.owner)}>`" for t in e.tests) or "—"


def _impl_md(e: Equation) -> str:
    impls = sorted(e.implementations, key=_impl_order)
    return ", ".join(f"{{py:obj}}`{i.module.removeprefix('course_utils.')}.{i.qualname} <{i.target}>`" for i in impls)


def render_markdown(index: Index, slugs=None, base: str = "../") -> str:
    """The index as MyST Markdown: a section per notebook, an entry per equation, then the pending ones.

    slugs(notebook, heading) -> the anchor of a heading on the notebook's page, or None (then the link
    goes to the page). base: the path from the page to the repository root.
    """
    lines = []
    by_chapter: dict[int, list[Equation]] = {}
    for e in index.derived():
        by_chapter.setdefault(e.chapter, []).append(e)
    for number in sorted(index.notebooks):
        nb = index.notebooks[number]
        lines += [f"## {nb.title}", ""]
        eqs = by_chapter.get(number, [])
        if not eqs:
            lines += ["This notebook derives no numbered equation.", ""]
        for e in eqs:
            d = e.derivation
            anchor = slugs(d.notebook, d.heading) if (slugs and d.heading) else None
            target = f"{base}{d.notebook.path}" + (f"#{anchor}" if anchor else "")
            section = d.heading[3] if d.heading else d.notebook.title
            derived = f"[§ {section}]({target})"
            also = sorted({r.notebook.label for r in e.restatements if r.notebook.number != number})
            if also:
                derived += " (restated in " + ", ".join(also) + ")"
            if e.implementations:
                impl = _impl_md(e)
            elif e.test_only is not None:
                impl = f"no function, *test only*: {e.test_only}"
            else:
                impl = "—"
            formula = f"$\\displaystyle {_cell_escape(d.formula)}$" if d.formula else ""
            lines += [
                f"({equation_label(e.eid)})=",
                "```{container} equation-entry",
                f"**({e.eid})** {formula}",
                "",
                f"**derived in** {_cell_escape(derived)}  ",
                f"**implemented by** {_cell_escape(impl)}  ",
                f"**checked by** {_tests_md(e)}"
                + (f"  \n**exercise** {', '.join(f'`{x}`' for x in e.exercises)}" if e.exercises else ""),
                "```",
                "",
            ]
    pending = [e for e in index.pending() if e.implementations or e.tests]
    if pending:
        lines += [
            "## Equations of notebooks still to come",
            "",
            "The reference code already implements and tests these; their notebook is not in this edition yet.",
            "",
        ]
        for e in pending:
            lines.append(f"- ({e.eid}): implemented by {_impl_md(e) or '—'}; checked by {_tests_md(e)}")
        lines.append("")
    return "\n".join(lines)


def render_tests_markdown(index: Index, base: str = "../") -> str:
    """The tests page: the source of every test that checks an equation, under a label the index links to."""
    lines = []
    for path, owners in index.test_owners().items():
        lines += [f"({test_label(path, None)})=", f"## `{path}`", ""]
        if None in owners:
            ids = ", ".join(f"({i})" for i in sorted(owners[None], key=eq_key))
            lines += [f"The file as a whole checks {ids}.", ""]
        for owner in sorted(o for o in owners if o is not None):
            ids = ", ".join(f"({i})" for i in sorted(owners[owner], key=eq_key))
            lines += [
                f"({test_label(path, owner)})=",
                f"### `{owner}`",
                "",
                f"Checks {ids}.",
                "",
                f"```{{literalinclude}} {base}{path}",
                f":pyobject: {owner}",
                ":language: python",
                ":lineno-match:",
                "```",
                "",
            ]
    return "\n".join(lines)


def summary(index: Index) -> str:
    derived = index.derived()
    lines = [f"{len(derived)} equations derived in {len(index.notebooks)} notebooks"]
    for e in derived:
        impl = ", ".join(i.target for i in e.implementations) or ("test only" if e.test_only is not None else "(none)")
        tests = ", ".join(test_title(t.path, t.owner) for t in e.tests) or "(none)"
        lines.append(f"  ({e.eid})  {e.derivation.notebook.label}  implemented by: {impl}  checked by: {tests}")
    pending = index.pending()
    if pending:
        lines.append("pending (their notebook does not exist yet): " + ", ".join(f"({e.eid})" for e in pending))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the repository (default: this one)")
    parser.add_argument("--markdown", action="store_true", help="print the index page (MyST Markdown)")
    args = parser.parse_args(argv)
    index = collect(args.root)
    print(render_markdown(index) if args.markdown else summary(index))
    if index.problems:
        print(f"\nequation index: {len(index.problems)} problems", file=sys.stderr)
        for p in index.problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
