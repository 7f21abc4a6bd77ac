"""Writing a drill's starter and public examples into the learner's folder, never overwriting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlprep.drills.catalog import Drill
from mlprep.errors import MlprepError


@dataclass
class Written:
    """What `write_starter` did: the starter's path, and each file written or kept."""

    starter: Path
    written: list[Path]
    kept: list[Path]


def starter_files(drill: Drill, directory: Path) -> dict[Path, str]:
    """The files a drill gives the learner: ``<module>.py`` first, then ``test_<drill>_*.py``."""
    targets = {directory / f"{drill.module}.py": drill.starter.read_text(encoding="utf-8")}
    for example in sorted(drill.examples_dir.glob("test_*.py")):
        suffix = example.stem.removeprefix("test_")
        targets[directory / f"test_{drill.name}_{suffix}.py"] = example.read_text(encoding="utf-8")
    return targets


def write_starter(drill: Drill, directory: Path, *, force: bool = False) -> Written:
    """Write the starter and examples into ``directory``; an existing file is kept unless ``force``."""
    if directory.exists() and not directory.is_dir():
        raise MlprepError("not a folder", path=directory)
    directory.mkdir(parents=True, exist_ok=True)
    targets = starter_files(drill, directory)
    written, kept = [], []
    for path, text in targets.items():
        if path.exists() and not force:
            kept.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Written(next(iter(targets)), written, kept)
