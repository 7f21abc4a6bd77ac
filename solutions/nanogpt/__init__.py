"""A character-level GPT for Tiny Shakespeare: model, data, training loop and KV-cache inference.

Importable as ``nanogpt`` once ``mlprep.content.content_dir("solutions")`` is on ``sys.path``
(``mlprep.solutions`` does that in one place).
"""
