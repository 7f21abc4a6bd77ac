"""Makes the bundled reference GPT (``solutions/nanogpt``) importable as ``nanogpt``.

The one place that puts ``content_dir("solutions")`` on ``sys.path``; it imports no torch itself.
"""

from __future__ import annotations

import sys

from mlprep.content import content_dir


def ensure_importable() -> None:
    """Put the solutions folder on ``sys.path`` so ``import nanogpt`` finds the bundled engine."""
    root = str(content_dir("solutions"))
    if root not in sys.path:
        sys.path.insert(0, root)
