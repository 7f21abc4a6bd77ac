"""The rubric judge: claims, not words; direction and negation; short answers; optional local judges."""

from __future__ import annotations

import json
import sys
import threading
import types
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from mlprep.bank.schema import build_question
from mlprep.quiz.judge import clauses, judge, stem
from mlprep.quiz.llm_judge import JudgeError, LlamaCppJudge, OllamaJudge, load_judge, prompt

RUBRIC = {
    "points": [
        {"claim": "L1 drives some weights exactly to zero", "match": [["l1", "lasso"], ["sparse", "exactly zero", "zero out"]]},
        {"claim": "L2 shrinks weights but rarely to zero", "match": [["l2", "ridge"], ["exactly zero", "sparse"]], "negated": True},
    ],
    "misconceptions": [
        {"claim": "L2 gives sparse weights", "match": [["l2", "ridge"], ["sparse", "exactly zero"]],
         "correction": "L2 shrinks weights in proportion to their size; they rarely reach zero."},
    ],
}
Q, _ = build_question({"id": "t.l1l2", "question": "Compare L1 and L2 regularisation.", "answer": "L1 sparse; L2 shrinks.",
                       "topic": "ml-fundamentals", "rubric": RUBRIC})
SHORT, _ = build_question({"id": "t.short", "question": "Which norm gives sparse solutions?", "answer": "L1 (lasso).",
                           "topic": "ml-fundamentals",
                           "rubric": {"points": [{"claim": "L1", "match": [["l1", "lasso"]]},
                                                 {"claim": "it is a norm penalty", "match": [["l1", "lasso"]]}]}})


@pytest.mark.parametrize(("typed", "points", "wrong", "rating"), [
    ("lasso zeroes out coefs so it does feature selection; ridge doesn't give exact zeros", (True, True), (False,), 4),
    ("L1 gives sparse weights and L2 shrinks them", (True, False), (False,), 2),
    ("l2 gives sparse models because squaring pushes small weights to exactly zero", (False, False), (True,), 1),
    ("L1 is sparse but L2 is sparse too", (True, False), (True,), 1),
    ("L2 does not give sparse weights", (False, True), (False,), 2),
    ("regularisation reduces overfitting", (False, False), (False,), 1),
    ("", (False, False), (False,), 1),
])
def test_claims_with_direction_and_negation(typed, points, wrong, rating):
    v = judge(Q, typed)
    assert (v.points, v.misconceptions, v.rating) == (points, wrong, rating), v


def test_a_correct_two_word_answer_to_a_short_question_is_correct():
    assert judge(SHORT, "lasso, L1").rating == 4
    assert judge(SHORT, "L2").rating == 1


def test_typos_and_word_forms_still_match():
    assert stem("sparsity") == stem("sparse") and stem("shrinking") == stem("shrinks")
    assert judge(Q, "lassso makes the weights sparce").points[0]


def test_clauses_split_on_contrast_words_and_carry_polarity():
    parts = clauses("L1 is sparse, whereas L2 isn't. Both help")
    assert [any(c.negated) for c in parts] == [False, True, False]


@pytest.mark.parametrize(("typed", "misconception"), [
    ("use l1 instead of l2 if you want sparse weights", False),       # "instead of" denies what follows
    ("l1 rather than l2 gives sparse weights", False),
    ("l2 can't give sparse weights", False),                          # can't is a negation
    ("no, l2 gives sparse weights", True),                           # a comma ends the scope of "no"
    ("the l2 penalty won, it gives sparse weights", True),            # "won" is not a negation
])
def test_negation_scope(typed, misconception):
    assert judge(Q, typed).misconceptions == (misconception,)


def test_instead_of_denies_only_the_words_after_it():
    assert judge(Q, "use l1 instead of l2 if you want sparse weights").points[0]
    assert len(clauses("IoU 0.5 and a 3:1 ratio. Then more")) == 2  # numbers keep their points


def test_a_question_without_a_rubric_falls_back_to_the_word_score():
    plain, _ = build_question({"id": "t.p", "question": "What is 2+2?", "answer": "four", "topic": "x",
                               "keywords": ["four"]})
    v = judge(plain, "four")
    assert v.judge == "words" and v.rating == 4 and v.points == ()


def test_the_learner_can_overrule_the_judge():
    v = judge(Q, "L1 gives sparse weights")
    assert v.with_points((True, True)).rating == 4
    assert judge(Q, "L2 is sparse").with_points((True, True)).rating == 1  # a misconception still caps it


# -- optional local judges -------------------------------------------------------------------------------


class _FakeOllama(BaseHTTPRequestHandler):
    reply = {"points": [True, False], "misconceptions": [False]}
    seen: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(body)
        out = json.dumps({"model": body["model"], "response": json.dumps(type(self).reply), "done": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def ollama_server():
    server = HTTPServer(("127.0.0.1", 0), _FakeOllama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_ollama_judge_sends_the_rubric_and_reads_the_verdict(ollama_server):
    judge_ = load_judge(f"ollama:tiny@{ollama_server}")
    v = judge_(Q, "lasso is sparse")
    assert (v.points, v.misconceptions, v.rating, v.judge) == ((True, False), (False,), 2, "ollama:tiny")
    sent = _FakeOllama.seen[-1]
    assert sent["model"] == "tiny" and "P2. L2 shrinks weights but rarely to zero" in sent["prompt"]
    assert "M1. L2 gives sparse weights" in sent["prompt"] and sent["options"]["temperature"] == 0


def test_ollama_judge_refuses_bad_replies_and_remote_hosts(ollama_server):
    _FakeOllama.reply = {"points": [True]}
    try:
        with pytest.raises(JudgeError, match="did not reply with 2 point"):
            OllamaJudge("tiny", ollama_server)(Q, "x")
    finally:
        _FakeOllama.reply = {"points": [True, False], "misconceptions": [False]}
    with pytest.raises(JudgeError, match="only talks to this machine"):
        OllamaJudge("tiny", "http://example.com:11434")
    with pytest.raises(JudgeError, match="cannot reach ollama"):
        OllamaJudge("tiny", "http://127.0.0.1:9", timeout_s=2)(Q, "x")


def test_llama_cpp_judge_loads_the_model_file_through_the_library(monkeypatch, tmp_path):
    calls = {}

    class Llama:
        def __init__(self, model_path, n_ctx, verbose):
            calls["path"] = model_path

        def create_chat_completion(self, messages, temperature, response_format):
            calls["prompt"] = messages[0]["content"]
            return {"choices": [{"message": {"content": '{"points": [true, true], "misconceptions": [false]}'}}]}

    monkeypatch.setitem(sys.modules, "llama_cpp", types.SimpleNamespace(Llama=Llama))
    model = tmp_path / "judge.gguf"
    v = LlamaCppJudge(str(model))(Q, "anything")
    assert v.rating == 4 and calls["path"] == str(model) and calls["prompt"] == prompt(Q, "anything")


def test_unknown_judges_are_named():
    assert load_judge("rubric") is None and load_judge(None) is None
    with pytest.raises(JudgeError, match="unknown judge"):
        load_judge("gpt-4")


def test_a_negation_denies_what_follows_it_not_the_whole_sentence():
    q, _ = build_question({"id": "t.cv", "question": "What is nested CV?", "answer": "inner tunes, outer scores",
                           "topic": "x", "rubric": {"points": [
                               {"claim": "inner loop tunes", "match": [["inner"], ["tune", "hyperparameter"]]},
                               {"claim": "outer loop scores", "match": [["outer"], ["score", "evaluate"]]}]}})
    v = judge(q, "two loops: an inner cv picks hyperparams, an outer cv scores it on folds the search never saw")
    assert v.points == (True, True)  # "hyperparams" abbreviates "hyperparameter"; "never saw" denies only "saw"


def test_a_short_answer_that_makes_the_first_point_is_good():
    q, _ = build_question({"id": "t.ctc", "question": "Minimum CTC frames for 'hello'?", "answer": "6", "topic": "x",
                           "rubric": {"points": [{"claim": "six", "match": [["6", "six"]]},
                                                 {"claim": "a blank between the l's", "match": [["blank"]]},
                                                 {"claim": "repeats need blanks", "match": [["repeat"]]}]}})
    assert judge(q, "6 frames").rating == 3
    assert judge(q, "5 frames").rating == 1
    assert judge(q, "it needs 6 because there is a long explanation that misses everything else").rating == 2  # 1 of 3
