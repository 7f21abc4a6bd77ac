"""Hidden tests for test_writing: the learner's tests run in the sandbox against the drill's own
tokenize (read from its starter) and against mutants, each handed over as a black box; the
verdict comes from which of their tests passed on which version, never from their output."""

import re

import pytest

from mlprep.drills.compare import fail
from mlprep.drills.given import given_function
from mlprep.drills.services import run_learner_tests

MIN_TESTS = 3
tokenize = given_function("test_writing", "tokenize")  # the drill's own copy, never the learner's


def limit(tokens, max_tokens):
    return tokens if max_tokens is None else tokens[:max_tokens]


def keeps_case(text, max_tokens=None):
    return limit(re.findall(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?", text), max_tokens)


def spaces_only(text, max_tokens=None):
    return limit(text.lower().split(), max_tokens)


def drops_digits(text, max_tokens=None):
    return limit(re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower()), max_tokens)


def splits_contractions(text, max_tokens=None):
    return limit(re.findall(r"[a-z0-9]+", text.lower()), max_tokens)


def one_short(text, max_tokens=None):
    tokens = tokenize(text)
    return tokens if max_tokens is None else tokens[:max(max_tokens - 1, 0)]


def zero_means_all(text, max_tokens=None):
    tokens = tokenize(text)
    return tokens[:max_tokens] if max_tokens else tokens


def drops_repeats(text, max_tokens=None):
    return limit(list(dict.fromkeys(tokenize(text))), max_tokens)


MUTANTS = {
    "forgets to lowercase ('Hello' stays 'Hello')": keeps_case,
    "splits on whitespace only, so punctuation stays attached ('end.')": spaces_only,
    "drops digits ('gpt4' becomes 'gpt', '2024' disappears)": drops_digits,
    "splits contractions (\"don't\" becomes 'don' and 't')": splits_contractions,
    "max_tokens keeps one token too few": one_short,
    "max_tokens = 0 returns every token instead of none": zero_means_all,
    "drops repeated words ('b a b' gives ['b', 'a'])": drops_repeats,
}


def outcomes_for(solution, versions):
    result = run_learner_tests(solution, "tokenize", versions)
    if type(result) is not dict or set(result) != set(versions) or not all(type(v) is dict for v in result.values()):
        fail("the results of running your tests could not be read back")
    return result


def failing(outcomes):
    return {name: o.get("message", "") for name, o in outcomes.items()
            if type(o) is not dict or o.get("status") != "pass"}


def check_correct_version_passes(outcomes):
    if len(outcomes) < MIN_TESTS:
        fail(f"found {len(outcomes)} test function(s) in your file; write at least {MIN_TESTS} (named test_..., "
             "no arguments)")
    broken = failing(outcomes)
    if broken:
        name, message = next(iter(broken.items()))
        fail(f"{len(broken)} of your tests fail on the correct tokenize, e.g. {name}: {message}")


def test_tests_pass_on_the_correct_tokenize(solution):
    """you wrote at least three tests, and they all pass on the correct tokenize"""
    check_correct_version_passes(outcomes_for(solution, {"correct": tokenize})["correct"])


@pytest.mark.parametrize("mutant", list(MUTANTS), ids=[f"mutant {i + 1}" for i in range(len(MUTANTS))])
def test_mutant_is_caught(solution, mutant):
    """a broken tokenize makes at least one of your tests fail"""
    result = outcomes_for(solution, {"correct": tokenize, "mutant": MUTANTS[mutant]})
    check_correct_version_passes(result["correct"])
    if not failing(result["mutant"]):
        fail(f"this mutant survived: a tokenize that {mutant}; all your tests passed on it")
