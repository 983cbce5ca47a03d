"""Interactive explorers for the notebooks, one module per notebook topic.

Each module follows one pattern: a pure function computes everything the widget shows (numbers
and a matplotlib figure) and is unit-tested without a browser; a ``make_*`` function wraps it in
``ipywidgets.interactive`` so a notebook shows it in one line. ipywidgets and matplotlib are
imported only here, never by the core maths.
"""
