"""Show a widget with a static preview of its default state, for when no kernel is running.

A notebook opened before its cells run (or read as a web page) has no kernel behind its widgets,
so a slider cannot be drawn. Jupyter then falls back to the other formats stored with the output:
here a picture of the widget's figure at its starting values and one line saying how to get the
sliders, instead of the raw ``interactive(children=(FloatSlider(...`` text.
"""

import base64
import io

from IPython.display import display

NOTE = "Interactive widget: run this cell in JupyterLab to move its sliders (the picture shows its starting state)."


def _figure_of(result):
    """The matplotlib Figure a widget function returned (in a dict, as an attribute, or as itself)."""
    if isinstance(result, dict):
        return result.get("figure")
    if hasattr(result, "savefig"):
        return result
    return getattr(result, "figure", None)


def preview_png(w):
    """PNG bytes of the figure the interactive ``w`` drew for its current values, or None."""
    figure = _figure_of(getattr(w, "result", None))
    if figure is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72, bbox_inches="tight")
    return buffer.getvalue()


def show_widget(w):
    """Display the interactive ``w`` (live in JupyterLab) with a static preview and a note as fallbacks.

    w: an ``ipywidgets.interactive`` whose function returns its figure (as every ``make_*``
    explorer of the course does). Returns None.
    """
    bundle = dict(w._repr_mimebundle_())
    bundle["text/plain"] = NOTE
    png = preview_png(w)
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    display(bundle, raw=True)
