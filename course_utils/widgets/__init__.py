"""Interactive explorers for the notebooks, one module per notebook topic.

Each module follows one pattern: a pure function computes everything the widget shows (numbers
and a matplotlib figure) and is unit-tested without a browser; a ``make_*`` function wraps it in
``ipywidgets.interactive`` so a notebook shows it in one line, ``show_widget(make_x())``, which
also stores a static preview of the starting state for readers without a kernel. ipywidgets and
matplotlib are imported only here, never by the core maths.
"""

from ._show import show_widget

__all__ = ["show_widget"]
