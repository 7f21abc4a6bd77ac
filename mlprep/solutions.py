"""Makes the bundled reference solutions importable by module name (``nanogpt``, ``gmm_em``, ...).

The one place that puts ``content_dir("solutions")`` on ``sys.path``; it imports no torch itself.
"""

from __future__ import annotations

import sys

from mlprep.paths import content_dir


def ensure_importable() -> None:
    """Put the solutions folder on ``sys.path`` so ``import nanogpt`` (or any reference) finds it."""
    root = str(content_dir("solutions"))
    if root not in sys.path:
        sys.path.insert(0, root)
