"""Obsidian and HTML inline syntax: wikilinks become their text, embedded images are noted.

``$…$`` math is kept as written. Nothing inside inline code is touched.
"""

from __future__ import annotations

import re

from mlprep.importer.spans import code_spans, sub_outside

_EMBED = re.compile(r"!\[\[([^\]|#]+)(?:[#|][^\]]*)?\]\]")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_IMG_TAG = re.compile(r"<img\b[^>]*?>", re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_WIKILINK = re.compile(r"\[\[([^\]|#]*)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]")


def _wikilink_text(m: re.Match[str]) -> str:
    target, section, alias = m.group(1), m.group(2), m.group(3)
    if alias and alias.strip():
        return alias.strip()
    return (target or "").strip() or (section or "").strip()


def clean_line(text: str) -> tuple[str, list[str]]:
    """The line with wikilinks resolved and images removed, and the images it embedded."""
    media: list[str] = []
    if "[[" not in text and "![" not in text and "<img" not in text.lower():
        return text, media

    def embed(m: re.Match[str]) -> str:
        media.append(m.group(1).strip())
        return ""

    def img_tag(m: re.Match[str]) -> str:
        src = _SRC.search(m.group(0))
        if src:
            media.append(next(g for g in src.groups() if g is not None))
        return ""

    for pattern, repl in (
        (_EMBED, embed),
        (_IMAGE, embed),
        (_IMG_TAG, img_tag),
        (_WIKILINK, _wikilink_text),
    ):
        text = sub_outside(pattern, repl, text, code_spans(text))
    return text, media
