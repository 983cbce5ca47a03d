"""Exercise checks: ``check(name, fn)`` says whether your function is right, and if not, what went wrong.

    from course_utils.exercises import check
    check("linear_backward", linear_backward)
    # ✓ linear_backward (5.2)-(5.4): correct on 12 random cases

``diagnose(name, fn)`` returns the same verdict as an object (``passed``, ``mistake``, ``message``)
without raising. Each exercise is one registry entry, in the module of its notebook (``nb05.py``
holds notebook 05's): the reference from ``course_utils``, a generator of random cases and the
known mistakes. ``_core.py`` holds the machinery.
"""

from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11, nb12, nb13  # noqa: F401, I001
# (each module registers its notebook's exercises)
from ._core import REGISTRY, Exercise, ExerciseFailed, Mistake, Verdict, check, diagnose, register

__all__ = ["REGISTRY", "Exercise", "ExerciseFailed", "Mistake", "Verdict", "check", "diagnose", "register"]
