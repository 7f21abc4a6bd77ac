"""Anki decks into cards: ``.apkg`` packages and Anki's "Notes in Plain Text" export.

An ``.apkg`` is a zip holding the collection: ``collection.anki21b`` (current Anki: SQLite
compressed with zstd), else ``collection.anki21`` / ``collection.anki2`` (legacy SQLite). The
zip is checked before anything is unpacked (sizes declared and actual, compression ratio), so a
zip bomb or a corrupt file is one clear error. Note types map onto our kinds:

- Cloze (any note type of the cloze kind): a ``cloze`` card, ``{{c1::…}}`` kept;
- Basic and reversed (two card templates): a card each way (for "optional reversed", only when
  its "Add Reverse" field is filled in);
- Basic and anything else: front (first field) and back (second field).

HTML becomes Markdown (markdownify); images and sounds a field refers to are listed in
``media``; the note's tags become tags. A deck exported by `mlprep export --anki` carries each
question's id in an ``Id`` field, so importing it gives the same ids back.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from pathlib import Path

from mlprep.bank.schema import ID_RE
from mlprep.errors import MlprepError
from mlprep.importer import difficulty
from mlprep.importer.card import Card
from mlprep.importer.notes import NoteImport, tidy, to_questions
from mlprep.importer.topics import slug

MAX_UNPACKED = 512 * 1024 * 1024  # bytes: the largest collection we unpack
MAX_RATIO = 200  # a member compressed more than this (and over 1 MB) is a zip bomb
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_MEDIA_REF = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)|\[sound:([^\]]+)\]""", re.I)
_SOUND = re.compile(r"\[sound:[^\]]+\]")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ID_FIELDS = ("id", "mlprep id", "mlprep_id")


def _language(element) -> str:
    code = element.find("code") if element is not None else None
    for name in (code.get("class") if code is not None else None) or []:
        if name.startswith("language-"):
            return name[len("language-"):]
    return ""


def html_to_markdown(html: str) -> str:
    """An Anki field (HTML) as Markdown: line breaks kept, no trailing spaces, no escaping."""
    if "<" not in html and "&" not in html:
        return html.strip()
    from markdownify import markdownify

    html = _IMG.sub("", _SOUND.sub("", html))
    text = markdownify(html, heading_style="ATX", bullets="-", escape_underscores=False,
                       escape_asterisks=False, escape_misc=False, code_language_callback=_language)
    text = "\n".join(line.rstrip() for line in text.replace("\xa0", " ").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _media(fields: list[str]) -> list[str]:
    return [a or b for f in fields for a, b in _MEDIA_REF.findall(f)]


def _cards_of(notetype_name: str, cloze: bool, templates: int, names: list[str], values: list[str],
              tags: list[str], line: int, deck: str, html: bool = True) -> tuple[list[Card], str | None]:
    """The cards one note gives, and the id it carries (a deck mlprep exported)."""
    convert = html_to_markdown if html else str.strip
    by_name = {n.lower(): v for n, v in zip(names, values, strict=False)}
    given = next((by_name[k].strip() for k in _ID_FIELDS if k in by_name), None)
    given = given if given and ID_RE.match(given) else None
    content = [v for n, v in zip(names or [""] * len(values), values, strict=False) if n.lower() not in _ID_FIELDS]
    media = _media(values)
    tag_list = [t for t in (slug(t.replace("::", "-")) for t in tags) if t]
    front = convert(content[0]) if content else ""
    back = convert(content[1]) if len(content) > 1 else ""
    if cloze or re.search(r"\{\{c\d+::", front):
        return [Card(front, "", line, deck, "cloze", "cloze", media, tag_list)], given
    cards = [Card(front, back, line, deck, "anki", "open", media, tag_list)]
    optional = "add reverse" in by_name
    if templates >= 2 and back and (not optional or convert(by_name["add reverse"])):
        cards.append(Card(back, front, line, deck, "anki", "open", media, tag_list))
    return cards, given


def _finish(cards_and_ids: list[tuple[list[Card], str | None]], file_name: str, topic: str | None,
            tags: list[str] | None, warnings: list[tuple[int, str]]) -> NoteImport:
    cards: list[Card] = []
    ids: dict[int, str] = {}
    symbols = difficulty.legend("")
    for group, given in cards_and_ids:
        if given and len(group) == 1:
            ids[len(cards)] = given
        for card in group:
            tidy(card, symbols)
            if card.question.strip():
                cards.append(card)
            else:
                warnings.append((card.line, "skipped: a note with an empty front"))
    name = slug(Path(file_name).stem) or "deck"
    return to_questions(cards, warnings, {}, file_name, name, topic, tags, ids)


# -- .apkg ---------------------------------------------------------------------------------------


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_UNPACKED:
        raise MlprepError(
            f"the deck's {info.filename} unpacks to {info.file_size / 2**20:.0f} MB, over the "
            f"{MAX_UNPACKED // 2**20} MB limit; refusing it", path=path)
    if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise MlprepError(
            f"the deck's {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1, "
            "which only a zip bomb does; refusing it", path=path)


def _copy_capped(src, dst, path: Path, limit: int = MAX_UNPACKED) -> None:
    total = 0
    while chunk := src.read(1 << 20):
        total += len(chunk)
        if total > limit:
            raise MlprepError(f"the deck unpacks to more than {limit // 2**20} MB; refusing it", path=path)
        dst.write(chunk)


def _unpack(path: Path, folder: Path) -> Path:
    """The deck's collection, unpacked (and decompressed) into ``folder``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise MlprepError(f"not a valid .apkg (zip) file: {exc}", path=path) from None
    with archive:
        names = set(archive.namelist())
        member = next((n for n in COLLECTIONS if n in names), None)
        if member is None:
            raise MlprepError("no Anki collection inside this .apkg (collection.anki2/.anki21/.anki21b)", path=path)
        info = archive.getinfo(member)
        _check_member(path, info)
        target = folder / "collection.sqlite"
        try:
            with archive.open(info) as src, open(target, "wb") as dst:
                if member.endswith("b"):
                    import zstandard

                    with zstandard.ZstdDecompressor().stream_reader(src) as reader:
                        _copy_capped(reader, dst, path)
                else:
                    _copy_capped(src, dst, path)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise MlprepError(f"the deck is damaged: {exc}", path=path) from None
        except Exception as exc:  # zstandard.ZstdError and the like
            if type(exc).__module__.startswith("zstandard"):
                raise MlprepError(f"the deck's compressed collection is damaged: {exc}", path=path) from None
            raise
    return target


def import_deck(path: Path, topic: str | None = None, tags: list[str] | None = None,
                file_name: str | None = None) -> NoteImport:
    """The cards of an Anki ``.apkg`` package."""
    from mlprep.store.anki import read_collection

    path = Path(path)
    if not path.exists():
        raise MlprepError("no such deck file; check the path", path=path)
    if not path.is_file():
        raise MlprepError("not a regular file; pass an .apkg deck", path=path)
    with tempfile.TemporaryDirectory(prefix="mlprep-apkg-") as tmp:
        notes = read_collection(_unpack(path, Path(tmp)), shown_as=path)
    shown = file_name or path.name
    deck = slug(path.stem)
    groups = [
        _cards_of(n.notetype.name, n.notetype.cloze, n.notetype.templates, n.notetype.fields, n.fields,
                  n.tags, k + 1, deck)
        for k, n in enumerate(notes)
    ]
    result = _finish(groups, shown, topic, tags, [])
    result.path = path
    return result


# -- Anki's "Notes in Plain Text" ------------------------------------------------------------------

_SEPARATORS = {"tab": "\t", "semicolon": ";", "comma": ",", "space": " ", "pipe": "|", "colon": ":"}


def import_anki_text(text: str, file_name: str, topic: str | None = None,
                     tags: list[str] | None = None) -> NoteImport:
    """Anki's plain-text export: ``#key:value`` header lines, then one note per row."""
    lines = text.split("\n")
    header: dict[str, str] = {}
    start = 0
    while start < len(lines) and lines[start].startswith("#") and ":" in lines[start]:
        key, value = lines[start][1:].split(":", 1)
        header[key.strip().lower()] = value.strip()
        start += 1
    sep = _SEPARATORS.get(header.get("separator", "tab").lower(), header.get("separator", "\t")[:1] or "\t")
    html = header.get("html", "false").lower() == "true"
    meta = {}
    for key in ("tags column", "notetype column", "deck column", "guid column"):
        if header.get(key, "").isdigit():
            meta[key] = int(header[key]) - 1
    rows = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=sep, quotechar='"')
    groups = []
    warnings: list[tuple[int, str]] = []
    for k, row in enumerate(rows):
        if not any(cell.strip() for cell in row):
            continue
        note_tags = row[meta["tags column"]].split() if "tags column" in meta and meta["tags column"] < len(row) else []
        notetype = row[meta["notetype column"]] if "notetype column" in meta and meta["notetype column"] < len(row) else ""
        values = [c for i, c in enumerate(row) if i not in meta.values()]
        reversed_type = "reverse" in notetype.lower()
        groups.append(_cards_of(notetype, "cloze" in notetype.lower(), 2 if reversed_type else 1, [], values,
                                note_tags, start + k + 1, slug(Path(file_name).stem), html))
    return _finish(groups, file_name, topic, tags, warnings)
