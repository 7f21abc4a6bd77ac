"""The drill catalogue: discover ``drills/<name>/`` folders and validate their metadata.

A drill is files only (see drills/README.md): ``drill.yaml``, ``prompt.md``, ``starter.py``,
``hints.yaml`` or ``hints.md``, ``examples/test_*.py``, ``tests/test_*.py``, and the reference
``solutions/<name>.py``. Adding one needs no code change here.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mlprep.errors import MlprepError
from mlprep.paths import content_dir

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The learner's file is imported under the drill's name: it must not shadow a real module.
RESERVED_NAMES = frozenset(sys.stdlib_module_names) | {"numpy", "torch", "pytest", "mlprep", "yaml", "conftest"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FIRST_LINE_RE = re.compile(r"^#\s*mlprep drill:\s*([A-Za-z0-9_]+)\s*$")
DIFFICULTIES = ("easy", "medium", "hard")
FRAMEWORKS = ("numpy", "torch")
DEFAULT_MEMORY_MB = {"numpy": 2048, "torch": 4096}
REQUIRED = {"title": str, "topic": str, "difficulty": str, "framework": str, "minutes": int, "source": str,
            "timeout_s": (int, float), "tolerance": dict}
OPTIONAL = {"memory_mb": int, "reference": str}


@dataclass(frozen=True)
class Drill:
    name: str
    path: Path
    title: str
    topic: str
    difficulty: str
    framework: str
    minutes: int
    source: str
    timeout_s: float
    tolerance: dict = field(default_factory=dict)
    memory_mb: int = 2048
    reference: str = ""  # the reference's file in solutions/ when it is not <name>.py

    @property
    def module(self) -> str:
        """The module name the learner's file is imported as (and examples import)."""
        return self.name

    @property
    def prompt(self) -> str:
        return (self.path / "prompt.md").read_text(encoding="utf-8")

    @property
    def starter(self) -> Path:
        return self.path / "starter.py"

    @property
    def examples_dir(self) -> Path:
        return self.path / "examples"

    @property
    def tests_dir(self) -> Path:
        return self.path / "tests"

    @property
    def solution(self) -> Path:
        return content_dir("solutions") / (self.reference or f"{self.name}.py")

    def hints(self) -> list[str]:
        """The ordered hints: a YAML list in hints.yaml, or hints.md blocks separated by '---' lines."""
        yaml_file, md_file = self.path / "hints.yaml", self.path / "hints.md"
        if yaml_file.is_file():
            data = yaml.load(yaml_file.read_text(encoding="utf-8"), Loader=_LOADER)
            if not isinstance(data, list) or not all(isinstance(h, str) and h.strip() for h in data):
                raise MlprepError("hints.yaml must be a list of non-empty strings", path=yaml_file)
            return [h.strip() for h in data]
        text = md_file.read_text(encoding="utf-8")
        return [block.strip() for block in re.split(r"^---\s*$", text, flags=re.M) if block.strip()]


def load_drill(folder: Path) -> Drill:
    """Read and validate one drill folder; MlprepError names the file at fault."""
    name = folder.name
    meta_file = folder / "drill.yaml"
    if not NAME_RE.match(name):
        raise MlprepError("a drill folder name must be lowercase letters, digits and _", path=folder)
    if name in RESERVED_NAMES:
        raise MlprepError(f"{name!r} is also a module the grader imports; rename the drill", path=folder)
    try:
        meta = yaml.load(meta_file.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise MlprepError(f"malformed YAML: {exc}", path=meta_file, line=None if line is None else line + 1) from None
    if not isinstance(meta, dict):
        raise MlprepError("drill.yaml must be a mapping of metadata keys", path=meta_file)
    unknown = set(meta) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise MlprepError(f"unknown key(s) {', '.join(sorted(unknown))}", path=meta_file)
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key not in meta and key in REQUIRED:
            raise MlprepError(f"missing key {key!r}", path=meta_file)
        if key in meta and (not isinstance(meta[key], kind) or isinstance(meta[key], bool)):
            raise MlprepError(f"{key!r} has the wrong type ({type(meta[key]).__name__})", path=meta_file)
    if meta["difficulty"] not in DIFFICULTIES:
        raise MlprepError(f"difficulty must be one of {', '.join(DIFFICULTIES)}", path=meta_file)
    if meta["framework"] not in FRAMEWORKS:
        raise MlprepError(f"framework must be one of {', '.join(FRAMEWORKS)}", path=meta_file)
    tol = meta["tolerance"]
    if set(tol) != {"rtol", "atol"} or not all(isinstance(v, (int, float)) for v in tol.values()):
        raise MlprepError("tolerance must be {rtol: number, atol: number}", path=meta_file)
    drill = Drill(name=name, path=folder, title=meta["title"], topic=meta["topic"], difficulty=meta["difficulty"],
                  framework=meta["framework"], minutes=meta["minutes"], source=meta["source"],
                  timeout_s=float(meta["timeout_s"]), tolerance={k: float(v) for k, v in tol.items()},
                  memory_mb=meta.get("memory_mb", DEFAULT_MEMORY_MB[meta["framework"]]),
                  reference=meta.get("reference", ""))
    _check_files(drill)
    return drill


def _check_files(drill: Drill) -> None:
    for required in ("prompt.md", "starter.py"):
        if not (drill.path / required).is_file():
            raise MlprepError(f"missing {required}", path=drill.path)
    first = drill.starter.read_text(encoding="utf-8").splitlines()[:1]
    if not first or FIRST_LINE_RE.match(first[0]) is None or FIRST_LINE_RE.match(first[0]).group(1) != drill.name:
        raise MlprepError(f"the first line must be '# mlprep drill: {drill.name}'", path=drill.starter, line=1)
    if not (drill.path / "hints.yaml").is_file() and not (drill.path / "hints.md").is_file():
        raise MlprepError("missing hints.yaml (or hints.md)", path=drill.path)
    for folder in (drill.examples_dir, drill.tests_dir):
        if not any(folder.glob("test_*.py")):
            raise MlprepError("needs at least one test_*.py", path=folder)
    if not drill.solution.is_file():
        raise MlprepError(f"no reference solution (solutions/{drill.solution.name})", path=drill.solution)


def _folders() -> dict[str, Path]:
    root = content_dir("drills")
    if not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if (p / "drill.yaml").is_file()}


def drill_names() -> list[str]:
    """The names of the drill folders (those with a drill.yaml), without validating them."""
    return list(_folders())


def catalog() -> dict[str, Drill]:
    """Every drill under the bundled drills folder, by name."""
    return {name: load_drill(folder) for name, folder in _folders().items()}


def find_drill(name: str) -> Drill:
    """The drill called ``name`` (only its folder is read); a path-like or unknown name is an
    MlprepError (exit 2)."""
    if not NAME_RE.match(name):
        raise MlprepError(f"{name!r} is not a drill name (lowercase letters, digits and _); see `mlprep drills`")
    folder = content_dir("drills") / name
    if not (folder / "drill.yaml").is_file():
        close = difflib.get_close_matches(name, list(_folders()), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; see `mlprep drills`"
        raise MlprepError(f"unknown drill {name!r}{hint}")
    return load_drill(folder)


def drill_for_file(path: Path, name: str | None = None) -> Drill:
    """The drill a learner's file is for: ``name`` if given, else its first line, else its file name."""
    if name:
        return find_drill(name)
    with path.open(encoding="utf-8", errors="replace") as fh:
        match = FIRST_LINE_RE.match(fh.readline().strip())
    if match:
        return find_drill(match.group(1))
    if NAME_RE.match(path.stem) and path.stem in _folders():
        return find_drill(path.stem)
    raise MlprepError("cannot tell which drill this file is for: make its first line "
                      "'# mlprep drill: NAME' or pass --drill NAME", path=path)
