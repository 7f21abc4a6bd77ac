"""Loading and validating YAML question banks. The only module that reads bank files.

Banks are parsed with libyaml's safe C loader. Line numbers are only needed when something is
wrong, so only then is the file composed again to find where each item and key sits.

PyYAML builds Python objects in Python even with the C parser (about 1.5 s for 10,000
questions), so a bank that validated cleanly is cached as JSON under ``paths.bank_cache_dir()``,
keyed by the file's bytes and the schema code; an edited file or a schema change misses.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mlprep.bank import schema
from mlprep.bank.schema import BANK_KEYS, QUESTION_FIELDS, Question, build_question
from mlprep.errors import MlprepError
from mlprep.fileio import atomic_write_text
from mlprep.paths import bank_cache_dir, content_dir

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BANK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def bank_files(paths: list[Path] | None = None) -> list[Path]:
    """The bank files under ``paths`` (files or folders); the bundled banks when ``paths`` is empty."""
    roots = list(paths) if paths else [content_dir("questions")]
    found: list[Path] = []
    for root in roots:
        root = Path(root)
        if root.is_dir():
            found.extend(sorted(p for p in root.rglob("*") if p.suffix in BANK_SUFFIXES and p.is_file()))
        elif root.is_file():
            found.append(root)
        else:
            raise MlprepError("no such bank file or folder; check the path given to --bank", path=root)
    return found


def bank_name(path: Path, roots: list[Path]) -> str:
    for root in roots:
        root = Path(root)
        if root.is_dir():
            try:
                return path.relative_to(root).with_suffix("").as_posix()
            except ValueError:
                continue
    return path.stem


class _Lines:
    """Line numbers of the items of a bank (composed lazily, only when reporting problems)."""

    def __init__(self, text: str):
        self.items: list[tuple[int, dict[str, int]]] = []
        try:
            node = yaml.compose(text, Loader=SafeLoader)
        except yaml.YAMLError:
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "questions":
                    node = value
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                keys = {}
                if isinstance(item, yaml.MappingNode):
                    keys = {k.value: k.start_mark.line + 1 for k, _ in item.value}
                self.items.append((item.start_mark.line + 1, keys))

    def line(self, index: int | None, key: str | None = None) -> int | None:
        if index is None or index >= len(self.items):
            return None
        start, keys = self.items[index]
        return keys.get(key, start) if key else start


def parse_bank_text(text: str, path: str) -> tuple[list[Question], list[Problem]]:
    """Parse and validate one bank's text. Malformed YAML raises MlprepError naming file:line."""
    try:
        data = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MlprepError(f"malformed YAML: {problem}", path=path, line=line) from None

    defaults: dict[str, Any] = {}
    if data is None:
        return [], []
    if isinstance(data, dict):
        unknown = set(data) - BANK_KEYS
        if unknown:
            return [], [Problem(path, 1, f"unknown bank keys {sorted(map(str, unknown))} (use questions, topic, tags)")]
        defaults = {k: data[k] for k in ("topic", "tags") if k in data}
        data = data.get("questions") or []
    if not isinstance(data, list):
        return [], [Problem(path, 1, "a bank must be a list of questions (or a mapping with `questions:`)")]

    questions: list[Question] = []
    raw_problems: list[tuple[int, str | None, str]] = []
    for index, raw in enumerate(data):
        q, problems = build_question(raw, defaults)
        if q is not None:
            q.position = index
            questions.append(q)
        raw_problems.extend((index, key, msg) for key, msg in problems)

    if not raw_problems:
        return questions, []
    lines = _Lines(text)
    return questions, [Problem(path, lines.line(i, k), m) for i, k, m in raw_problems]


@cache
def schema_digest() -> bytes:
    return hashlib.sha1(Path(schema.__file__).read_bytes()).digest()


def _cache_path(path: Path) -> Path:
    key = hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:20]
    return bank_cache_dir() / f"{key}.json"


def _read_cache(path: Path, digest: str) -> list[Question] | None:
    try:
        data = json.loads(_cache_path(path).read_text(encoding="utf-8"))
        if data.get("digest") != digest:
            return None
        if data.get("fields") != QUESTION_FIELDS:
            return None
        return [Question.from_row(row) for row in data["questions"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_cache(path: Path, digest: str, questions: list[Question]) -> None:
    rows = [q.to_row() for q in questions]
    try:
        atomic_write_text(_cache_path(path), json.dumps({"digest": digest, "fields": QUESTION_FIELDS, "questions": rows}))
    except OSError:
        pass  # a cache that cannot be written only costs speed


def load_file(path: Path, bank: str | None = None) -> tuple[list[Question], list[Problem]]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise MlprepError(f"cannot read: {exc.strerror}", path=path) from None
    name = bank or Path(path).stem
    digest = hashlib.sha1(raw + schema_digest()).hexdigest()
    cached = _read_cache(path, digest)
    if cached is not None:
        for q in cached:
            q.bank = name
        return cached, []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MlprepError("not UTF-8 text; save the bank as UTF-8", path=path) from None
    questions, problems = parse_bank_text(text, str(path))
    if not problems:
        _write_cache(path, digest, questions)
    for q in questions:
        q.bank = name
    return questions, problems


def validate(paths: list[Path] | None = None) -> tuple[list[Question], list[Problem]]:
    """Load every bank under ``paths``; return the good questions and every problem found.

    Besides per-question checks this reports ids used twice (in one file or across files).
    """
    roots = list(paths) if paths else [content_dir("questions")]
    return validate_files([(path, bank_name(path, roots)) for path in bank_files(roots)])


def validate_files(
    files: list[tuple[Path, str]], *, first_wins: bool = False
) -> tuple[list[Question], list[Problem]]:
    """Load these (bank file, bank name) pairs in order; ``first_wins``: an id seen before is
    skipped quietly (the same card in the library and in a bundled bank), not a problem."""
    all_questions: list[Question] = []
    all_problems: list[Problem] = []
    seen: dict[str, str] = {}  # id -> the file that used it first
    for path, name in files:
        questions, problems = load_file(path, name)
        all_problems.extend(problems)
        dup_lines: _Lines | None = None
        for q in questions:
            if q.id in seen:
                if first_wins:
                    continue
                if dup_lines is None:
                    dup_lines = _Lines(path.read_text(encoding="utf-8"))
                line = dup_lines.line(q.position, "id")
                all_problems.append(Problem(str(path), line, f"duplicate id {q.id!r} (first used at {seen[q.id]})"))
                continue
            seen[q.id] = str(path)
            all_questions.append(q)
    all_problems.sort(key=lambda p: (p.path, p.line or 0))
    return all_questions, all_problems


def raise_first(problems: list[Problem]) -> None:
    """Any problem is a user error naming the first file:line."""
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        first = problems[0]
        raise MlprepError(
            f"{first.message}{more}; run `mlprep questions validate` to see them all",
            path=first.path,
            line=first.line,
        )


def load_questions(paths: list[Path] | None = None) -> list[Question]:
    """All questions in the banks under ``paths`` (bundled banks by default).

    Any problem is a user error naming the first file:line; ``mlprep questions validate`` lists all.
    """
    questions, problems = validate(paths)
    raise_first(problems)
    return questions
