"""The results model of one grading run, and its JSON form (the ``grade --json`` contract)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum

JUDGE_FD_ENV = "MLPREP_JUDGE_FD"  # the pipe that carries the runner's orders to the test process


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"  # the learner's code could not be imported or run: crash, timeout, memory


@dataclass
class TestResult:
    __test__ = False  # not a pytest test class

    name: str  # what the test checks, in words a learner understands
    kind: str  # "example" (public, shown in the prompt) or "hidden"
    status: Status
    message: str = ""
    traceback: str = ""  # the learner's own frames, when their code raised
    duration_s: float = 0.0

    def as_json(self) -> dict:
        message = self.message + (f"\n{self.traceback}" if self.traceback else "")
        return {"name": f"{self.kind}: {self.name}", "status": self.status.value, "message": message,
                "duration_s": round(self.duration_s, 4)}

    @classmethod
    def from_dict(cls, data: dict) -> TestResult:
        return cls(**{**data, "status": Status(data["status"])})


@dataclass
class Results:
    drill: str
    file: str
    tests: list[TestResult] = field(default_factory=list)
    duration_s: float = 0.0
    output: str = ""  # what the learner's code printed (capped)
    syntax: dict | None = None  # {"line", "text", "message"} when the file does not compile
    judge_peak_mb: float = 0.0  # the judge's peak resident memory (not part of the JSON contract)

    def count(self, status: Status, kind: str | None = None) -> int:
        return sum(t.status is status and kind in (None, t.kind) for t in self.tests)

    def tallies(self, kind: str) -> tuple[int, int]:
        """(passed, total) among tests of ``kind``."""
        return self.count(Status.PASS, kind), sum(t.kind == kind for t in self.tests)

    @property
    def count_passed(self) -> int:
        return self.count(Status.PASS)

    @property
    def count_failed(self) -> int:
        return self.count(Status.FAIL)

    @property
    def count_errors(self) -> int:
        return self.count(Status.ERROR)

    @property
    def status(self) -> Status:
        if not self.tests or self.count(Status.ERROR):
            return Status.ERROR
        return Status.FAIL if self.count(Status.FAIL) else Status.PASS

    def as_json(self) -> dict:
        return {
            "drill": self.drill,
            "file": self.file,
            "status": self.status.value,
            "passed": self.count_passed,
            "failed": self.count_failed,
            "errors": self.count_errors,
            "duration_s": round(self.duration_s, 3),
            "tests": [t.as_json() for t in self.tests],
        }

    def to_dict(self) -> dict:
        """Everything, for passing between processes (``as_json`` is the public contract)."""
        data = asdict(self)
        for t in data["tests"]:
            t["status"] = t["status"].value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Results:
        return cls(**{**data, "tests": [TestResult.from_dict(t) for t in data["tests"]]})
