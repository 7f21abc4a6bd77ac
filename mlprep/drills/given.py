"""Code a drill gives the learner, as the drill wrote it.

Some starters hand over working code: vectorize's slow loop (the speed yardstick), test_writing's
tokenizer (the function under test). The grader must use the drill's own copy, never the
learner's, which they may have edited. Hidden tests read it from the drill's starter here, and
the child runs the same source through :func:`load_source` when it times against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlprep.paths import content_dir


def load_source(source: str, filename: str) -> dict[str, Any]:
    """Run trusted source text in a fresh namespace and return that namespace."""
    namespace: dict[str, Any] = {"__name__": "mlprep_given"}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - a drill's own file, never the learner's
    return namespace


def starter_source(drill: str) -> str:
    """The text of the drill's starter, as shipped."""
    return (content_dir("drills") / drill / "starter.py").read_text(encoding="utf-8")


def given_function(drill: str, name: str) -> Callable[..., Any]:
    """The function called ``name`` in the drill's shipped starter."""
    return load_source(starter_source(drill), f"{drill}/starter.py")[name]
