"""Reading the banks already in the output folder and writing imported banks as YAML.

Multi-line strings (answers with code) are written as ``|`` blocks so the files stay readable
and diff well; files are replaced atomically.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from mlprep.bank.loader import bank_files, load_file
from mlprep.bank.schema import Question
from mlprep.errors import MlprepError
from mlprep.fileio import atomic_write_text

HEADER = (
    "# Imported by `mlprep import` from {note}; re-import the note to update this bank.\n"
    "# Ids stay stable across re-imports; hand edits to difficulty, keywords, explanation and\n"
    "# see_also are kept.\n"
)


class _BankDumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as literal blocks."""


class _FastBankDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """The same with libyaml's emitter (about 5x faster); it escapes characters beyond the BMP
    (emoji), so a bank holding one is written by the pure-Python emitter instead."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_BankDumper.add_representer(str, _str)
_FastBankDumper.add_representer(str, _str)


def dump_bank(questions: list[Question], note: str) -> str:
    items = [q.to_dict(with_bank=False) for q in questions]
    body = yaml.dump(items, Dumper=_FastBankDumper, sort_keys=False, allow_unicode=True, width=10_000)
    if "\\U" in body or "\\u" in body:
        body = yaml.dump(items, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=10_000)
    return HEADER.format(note=note) + body


def write_bank(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a reader never sees half a bank)."""
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise MlprepError(f"cannot write the bank: {exc.strerror}; choose another --out", path=path) from None


def existing_banks(out_dir: Path) -> dict[Path, list[Question]]:
    """The valid banks already in ``out_dir``; a broken one is a user error (it would be overwritten)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise MlprepError("--out must be a folder, and this is a file", path=out_dir)
    if not out_dir.is_dir():
        return {}
    banks: dict[Path, list[Question]] = {}
    for path in bank_files([out_dir]):
        questions, problems = load_file(path)
        if problems:
            first = problems[0]
            raise MlprepError(
                f"{first.message}; fix this bank (see `mlprep questions validate`) before re-importing into it",
                path=first.path,
                line=first.line,
            )
        banks[path] = questions
    return banks
