"""The equation index (tools/equation_index.py): what it reads, and the rules the website's build enforces.

Most tests build a small repository in a temporary folder (a notebook, a module, a test file), so
each rule is seen to fail exactly when it should; the last ones read the course itself.
"""

import json
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tools"))
import equation_index as ei  # noqa: E402

sys.path.pop(0)


def test_find_ids_expands_ranges_within_a_notebook_only():
    assert ei.find_ids("dW, db, dA (5.2)-(5.4); see (1.1)") == ["5.2", "5.3", "5.4", "1.1"]
    assert ei.find_ids("(8.2)–(8.5)") == ["8.2", "8.3", "8.4", "8.5"]  # an en dash
    assert ei.find_ids("the stepper (3.1)-(5.5)") == ["3.1", "5.5"]  # across notebooks: the two ends
    assert ei.find_ids("(6.1)/(6.2), again (6.1)") == ["6.1", "6.2"]


def test_find_ids_ignores_what_cannot_be_an_id():
    assert ei.find_ids("(14.1) (5.0) 5.2 [5.3] f(0.5x)") == []
    assert ei.find_ids("(13.2)") == ["13.2"]


# ------------------------------------------------------------------------------------------------
# A small repository
# ------------------------------------------------------------------------------------------------
def _notebook(cells):
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [{"cell_type": kind, "metadata": {}, "source": src,
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, src in cells],
    })  # fmt: skip


NB05 = [
    ("markdown", "# 05 · Backpropagation\n\nIntro, citing (2.1) and (5.9)."),
    ("markdown", "## 3.2 The weights\n\nThe matrix form:\n$$\\boxed{dW = \\frac1m dZ} \\qquad (5.2)$$\nDone."),
    ("markdown", "The bias, still in 3.2:\n\n$$\ndb = \\frac1m \\sum_i dZ \\tag{5.3}\n$$"),
    ("markdown", "## 4 Output\n\n$$dA = W^T dZ$$ (5.4)\n\n$$Z = 0 \\tag{5.5}$$ and $$Q \\tag{5.6}$$"),
    ("markdown", "```\n# not a heading (5.7)\n$$ y \\tag{5.7} $$\n```"),
    ("code", "x = 1  # (5.8) in code is not read"),
    ("markdown", "$$\\begin{align} a &= 1 \\tag{5.10} \\\\\n"
                 " b &= \\sum_{\\substack{h \\\\ p}} 2 \\tag{5.11} \\end{align}$$"),
    ("markdown", "$$x = \\sum_{\\substack{h \\\\ p}} y \\tag{5.12}$$"),
]
NB02 = [
    ("markdown", "# 02 · Descent\n\n$$J = \\frac{1}{2m} \\sum (\\hat y - y)^2 \\tag{2.1}$$\n\nAgain: $$dW \\tag{5.2}$$")
]

MODULE = '''"""A module; its docstring mentions (5.5), which does not make an implementation."""


def linear_backward(dZ):
    """Equation (5.2). Also (7.1), a later notebook's."""


def _private(dZ):
    """(5.3) in a private function does not count."""


def half_mse(a):
    """(2.1)"""


def rows():
    """(5.10)-(5.12)"""


class Tensor:
    """A tensor."""

    def backward(self):
        """(5.4)"""

    def __add__(self, other):
        """(5.6)"""
'''

TESTS = '''"""Checks (5.4) for the whole file."""


def helper():
    pass  # (2.1) checked by a helper


def test_a():
    x = 1  # (5.2), and (5.10)–(5.12)
    assert x


class TestB:
    def test_b(self):
        """(5.3)"""

    def test_c(self):
        s = "(5.5) in a string is not a mention"
        assert s
'''


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "05_backprop.ipynb").write_text(_notebook(NB05))
    (tmp_path / "notebooks" / "02_descent.ipynb").write_text(_notebook(NB02))
    (tmp_path / "notebooks" / "scratch.ipynb").write_text(_notebook([("markdown", "$$x \\tag{5.5}$$")]))
    pkg = tmp_path / "course_utils"
    (pkg / "exercises").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(MODULE)
    (pkg / "_validation.py").write_text('def check():\n    """(5.5) in a private module does not count."""\n')
    (pkg / "exercises" / "nb05.py").write_text(
        'register(Exercise(name="linear_backward", equation="(5.2)-(5.3)", reference=None))\n'
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(TESTS)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "test_only_equations.txt").write_text(
        "# comment\n(5.3) a definition only a test can check\n(5.6) listed, but Tensor.__add__ implements it\n"
    )
    return tmp_path


def test_derivation_is_the_display_in_its_own_notebook(repo):
    index = ei.collect(repo)
    e = index.equations["5.2"]
    assert e.derivation.notebook.path == "notebooks/05_backprop.ipynb"
    assert e.derivation.formula == "\\boxed{dW = \\frac1m dZ}"
    assert e.derivation.heading[3] == "3.2 The weights"
    assert [d.notebook.number for d in e.restatements] == [2]
    # a tag in the next cell still sits in section 3.2; "(5.4)" after the closing $$ counts too
    assert index.equations["5.3"].derivation.heading[3] == "3.2 The weights"
    assert index.equations["5.3"].derivation.formula == "db = \\frac1m \\sum_i dZ"
    assert index.equations["5.4"].derivation.formula == "dA = W^T dZ"
    assert index.equations["5.4"].derivation.heading[3] == "4 Output"
    # a display with one ID per row: each gets its row, without the alignment; \\\\ inside braces is no row
    assert index.equations["5.10"].derivation.formula == "a = 1"
    assert index.equations["5.11"].derivation.formula == "b = \\sum_{\\substack{h \\\\ p}} 2"
    assert index.equations["5.12"].derivation.formula == "x = \\sum_{\\substack{h \\\\ p}} y"
    # fenced code and code cells are not read; a notebook without a number is not part of the course
    assert "5.7" not in index.equations and "5.8" not in index.equations
    assert sorted(index.notebooks) == [2, 5]
    assert index.notebooks[5].title == "05 · Backpropagation"


def test_implementations_tests_and_exercises(repo):
    index = ei.collect(repo)
    impl = {eid: [i.target for i in e.implementations] for eid, e in index.equations.items()}
    assert impl["5.2"] == ["course_utils.layers.linear_backward"]
    assert impl["5.3"] == []  # private function and private module do not count
    assert impl["5.4"] == ["course_utils.layers.Tensor.backward"]
    assert impl["5.6"] == ["course_utils.layers.Tensor.__add__"]
    assert impl["5.5"] == []  # a module docstring is not an implementation
    tests = {eid: [(t.path, t.owner) for t in e.tests] for eid, e in index.equations.items()}
    assert tests["5.2"] == [("tests/test_x.py", "test_a")]
    assert tests["5.3"] == [("tests/test_x.py", "TestB.test_b")]
    assert tests["5.4"] == [("tests/test_x.py", None)]
    assert tests["2.1"] == [("tests/test_x.py", "helper")]
    assert tests["5.5"] == []  # a string literal is not a docstring or a comment
    assert index.equations["5.3"].exercises == ["linear_backward"]


def test_each_rule_fails_where_it_should(repo):
    problems = ei.collect(repo).problems
    text = "\n".join(problems)
    assert len(problems) == 5, text
    assert any(p.startswith("(5.6) not checked") for p in problems)
    assert any(p.startswith("(5.5) not checked") for p in problems)
    assert any(p.startswith("(5.5) not implemented") for p in problems)
    assert any(p.startswith("(5.6) is on the test-only list") and "Tensor.__add__" in p for p in problems)
    assert any(p.startswith("(5.9) not derived") and "05_backprop.ipynb" in p for p in problems)
    # (5.2) implemented and tested; (5.3) test only, with a test; (2.1) derived in its own notebook;
    # (7.1): notebook 07 does not exist yet, so it is pending, not a problem
    assert not any(p.startswith(("(5.2)", "(5.3)", "(2.1)", "(7.1)")) for p in problems)
    assert [e.eid for e in ei.collect(repo).pending()] == ["7.1"]


def test_a_pending_equation_becomes_a_problem_when_its_notebook_arrives(repo):
    (repo / "notebooks" / "07_optimisers.ipynb").write_text(_notebook([("markdown", "# 07\n\nNo display here.")]))
    problems = ei.collect(repo).problems
    assert any(p.startswith("(7.1) not derived") and "course_utils/layers.py" in p for p in problems)


def test_a_test_only_entry_needs_a_test_and_a_reason(repo):
    (repo / "tests" / "test_x.py").write_text(TESTS.replace('"""(5.3)"""', '"""nothing"""'))
    (repo / "docs" / "test_only_equations.txt").write_text("(5.3)\n")
    problems = ei.collect(repo).problems
    assert any(p.startswith("(5.3) not checked") for p in problems)
    assert any("(5.3) needs a reason" in p for p in problems)


def test_page_links_every_equation_to_its_section_function_and_test(repo):
    index = ei.collect(repo)
    page = ei.render_markdown(index, slugs=lambda nb, h: f"slug-{h[0]}-{h[1]}", base="../")
    assert "(eq-5-2)=" in page and "(eq-2-1)=" in page
    assert "[§ 3.2 The weights](../notebooks/05_backprop.ipynb#slug-1-0)" in page
    assert "<course_utils.layers.linear_backward>" in page
    assert f"<{ei.test_label('tests/test_x.py', 'test_a')}>" in page
    assert "*test only*: a definition only a test can check" in page
    assert "(7.1): implemented by" in page  # the pending one, listed at the end
    tests_page = ei.render_tests_markdown(index, base="/")
    assert f"({ei.test_label('tests/test_x.py', 'TestB.test_b')})=" in tests_page
    assert ":pyobject: TestB.test_b" in tests_page and "/tests/test_x.py" in tests_page


def test_command_line_exit_status(repo, tmp_path, capsys):
    assert ei.main(["--root", str(repo)]) == 1
    assert "(5.9) not derived" in capsys.readouterr().err
    clean = tmp_path / "clean"
    for folder in ("notebooks", "course_utils", "tests"):
        (clean / folder).mkdir(parents=True)
    (clean / "notebooks" / "01_one.ipynb").write_text(_notebook([("markdown", "# 01\n\n$$s = 1 \\tag{1.1}$$")]))
    (clean / "course_utils" / "m.py").write_text('def s():\n    """Equation (1.1)."""\n')
    (clean / "tests" / "test_m.py").write_text("def test_s():\n    pass  # (1.1)\n")
    assert ei.main(["--root", str(clean)]) == 0, capsys.readouterr().err
    assert "(1.1)  01  implemented by: course_utils.m.s  checked by: test_m.py::test_s" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# The course itself
# ------------------------------------------------------------------------------------------------
def test_the_course_index_reads_every_notebook():
    index = ei.collect(REPO_ROOT)
    numbered = sorted(REPO_ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
    assert sorted(index.notebooks) == sorted(int(p.name[:2]) for p in numbered)
    for e in index.derived():
        assert e.derivation.notebook.number == e.chapter
        assert e.derivation.formula, f"({e.eid}) has an empty formula"
        assert "\\tag" not in e.derivation.formula
    for problem in index.problems:
        assert problem.startswith("(") or problem.startswith(str(ei.TEST_ONLY_FILE)), problem
