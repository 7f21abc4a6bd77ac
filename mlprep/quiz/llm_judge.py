"""Optional stronger judges: a local LLM reads the rubric and the answer and returns the same verdicts.

Never required and never online by default: an ollama server on this machine (``ollama serve``,
http://127.0.0.1:11434) or a GGUF file through llama-cpp-python. Both get the same prompt (the
question, the reference answer, the numbered points and misconceptions, the learner's answer) and
must reply with JSON ``{"points": [true, ...], "misconceptions": [false, ...]}``; anything else is a
:class:`JudgeError`, and the quiz falls back to the rubric matcher with a note.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlparse

from mlprep.bank.schema import Question
from mlprep.errors import MlprepError
from mlprep.quiz.judge import Verdict, verdict_from

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_JSON_RE = re.compile(r"\{.*\}", re.S)


class JudgeError(MlprepError):
    """The optional judge could not be reached or gave no usable verdict."""


def prompt(q: Question, typed: str) -> str:
    """The instruction both local judges receive."""
    assert q.rubric is not None
    points = "\n".join(f"P{i}. {c.claim}" for i, c in enumerate(q.rubric.points, 1))
    wrong = "\n".join(f"M{i}. {c.claim}" for i, c in enumerate(q.rubric.misconceptions, 1)) or "(none)"
    return (
        "You grade a candidate's answer in a machine-learning interview. For each point P, say whether "
        "the answer makes that claim (in any words; a claim stated as false does not count). For each "
        "misconception M, say whether the answer asserts it.\n\n"
        f"Question: {q.question}\nReference answer: {q.answer}\n\nPoints:\n{points}\n\n"
        f"Misconceptions:\n{wrong}\n\nCandidate's answer: {typed}\n\n"
        'Reply with JSON only: {"points": [true or false for each P in order], '
        '"misconceptions": [true or false for each M in order]}'
    )


def parse_reply(q: Question, text: str, judge: str) -> Verdict:
    """The verdict in a judge's reply; a JudgeError when it is not the JSON asked for."""
    assert q.rubric is not None
    found = _JSON_RE.search(text or "")
    try:
        data = json.loads(found.group(0)) if found else None
    except ValueError:
        data = None
    n_points, n_wrong = len(q.rubric.points), len(q.rubric.misconceptions)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("points"), list)
        or len(data["points"]) != n_points
        or not all(isinstance(x, bool) for x in data["points"])
        or not isinstance(data.get("misconceptions", []), list)
        or len(data.get("misconceptions", [])) != n_wrong
        or not all(isinstance(x, bool) for x in data.get("misconceptions", []))
    ):
        raise JudgeError(f"the {judge} judge did not reply with {n_points} point and {n_wrong} misconception verdicts")
    return verdict_from(tuple(data["points"]), tuple(data.get("misconceptions", [])), judge)


class OllamaJudge:
    """A model served by ollama on this machine (``ollama pull qwen2.5:3b`` once, then ``ollama serve``)."""

    def __init__(self, model: str, url: str = "http://127.0.0.1:11434", timeout_s: float = 60.0,
                 allow_remote: bool = False):
        host = urlparse(url).hostname or ""
        if host not in LOCAL_HOSTS and not allow_remote:
            raise JudgeError(f"the ollama judge only talks to this machine by default, not {host!r}")
        self.model, self.url, self.timeout_s = model, url.rstrip("/"), timeout_s
        self.name = f"ollama:{model}"

    def __call__(self, q: Question, typed: str) -> Verdict:
        body = json.dumps({"model": self.model, "prompt": prompt(q, typed), "stream": False, "format": "json",
                           "options": {"temperature": 0}}).encode()
        request = urllib.request.Request(f"{self.url}/api/generate", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                reply: Any = json.loads(response.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise JudgeError(f"cannot reach ollama at {self.url} ({exc}); start it with `ollama serve`") from None
        return parse_reply(q, reply.get("response", "") if isinstance(reply, dict) else "", self.name)


class LlamaCppJudge:
    """A GGUF model file run in-process by llama-cpp-python (``pip install llama-cpp-python``)."""

    def __init__(self, model_path: str, n_ctx: int = 4096):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise JudgeError("the llama-cpp judge needs `pip install llama-cpp-python`") from None
        try:
            self.llm = Llama(model_path=model_path, n_ctx=n_ctx, verbose=False)
        except (ValueError, OSError) as exc:
            raise JudgeError(f"cannot load the GGUF model {model_path} ({exc})") from None
        self.name = f"llama-cpp:{model_path}"

    def __call__(self, q: Question, typed: str) -> Verdict:
        out = self.llm.create_chat_completion(messages=[{"role": "user", "content": prompt(q, typed)}],
                                              temperature=0, response_format={"type": "json_object"})
        try:
            text = out["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            text = ""
        return parse_reply(q, text, self.name)


def load_judge(spec: str | None):
    """``None``/``rubric`` -> None (the built-in matcher); ``ollama:MODEL[@URL]``; ``llama-cpp:PATH.gguf``."""
    if spec in (None, "", "rubric"):
        return None
    kind, _, rest = spec.partition(":")
    if kind == "ollama" and rest:
        model, _, url = rest.partition("@")
        return OllamaJudge(model, url) if url else OllamaJudge(model)
    if kind == "llama-cpp" and rest:
        return LlamaCppJudge(rest)
    raise JudgeError(f"unknown judge {spec!r}; use rubric, ollama:MODEL[@http://127.0.0.1:11434] or llama-cpp:FILE.gguf")
