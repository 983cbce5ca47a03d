"""Sphinx configuration of the course website.

Build it from the repository's root (the pages are the notebooks in notebooks/, with their stored
outputs; nothing is executed):

    npm ci --prefix docs                          # once: MathJax 3, served by the site itself
    python -m sphinx -W -c docs -b html . docs/_build/html

The source folder is the repository, so the notebooks are read where they live; only docs/ and
notebooks/ are part of the site. The build fails when a rule of the equation index is broken (see
docs/equations.md); add ``-D equation_index_strict=0`` (and drop ``-W``) to build anyway while the
problems it lists are being fixed. ``bash tests/site/run.sh`` builds the site and tests its pages.
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "Demystifying Deep Learning"
author = "the course's authors"
html_show_copyright = False

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "course_site",
]

# The site: docs/ (landing pages, equation index, API) and the instructor edition of the notebooks.
root_doc = "docs/index"
include_patterns = ["docs/**", "notebooks/*.ipynb"]
exclude_patterns = sorted(
    [p.name for p in ROOT.iterdir() if p.name not in ("docs", "notebooks")]
    + ["docs/_build", "docs/_generated", "docs/_ext", "docs/_static", "docs/_root", "docs/node_modules",
       "**/.ipynb_checkpoints"]
)  # fmt: skip

# Notebooks: the stored outputs are the pages.
nb_execution_mode = "off"
nb_merge_streams = True
# A widget needs a kernel: never show its (dead) view; its stored PNG preview is shown instead, and
# course_site adds the line saying where the sliders move. No widget JavaScript from a CDN.
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
    ("html", "image/png", 5),
]
nb_ipywidgets_js = {}

# Maths: the notebooks put $$...$$ inside paragraphs.
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_dmath_double_inline = True
myst_heading_anchors = 6

# MathJax 3 from the site itself (copied from docs/node_modules/mathjax by course_site), never a CDN.
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {"tex": {"tags": "none"}}

# API pages from the docstrings of course_utils.
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "signature"
add_module_names = False

html_theme = "sphinx_book_theme"
html_title = "Demystifying Deep Learning"
html_static_path = ["_static"]
html_extra_path = ["_root"]
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
}
html_context = {"default_mode": "auto"}  # light or dark, as the reader's system prefers
