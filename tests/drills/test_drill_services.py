"""The child-side services (mlprep.drills.services): running a learner's tests against several
versions of a function, and timing a learner's function against trusted given code."""

from __future__ import annotations

import types

from mlprep.drills.given import given_function, load_source, starter_source
from mlprep.drills.services import (
    SERVICE_PREFIX,
    learner_tests,
    run_learner_tests,
    service,
    time_against,
)

LEARNER_TESTS = '''
def double(x):
    return 2 * x

def test_two():
    assert double(2) == 4

def test_negative():
    assert double(-3) == -6, "negatives double too"

def test_crash():
    raise KeyError("boom")

def test_fixture(tmp_path):
    pass

def helper_not_a_test():
    raise AssertionError
'''


def module_from(source: str, name: str = "learner") -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    return module


def test_tests_run_once_per_version_in_definition_order():
    module = module_from(LEARNER_TESTS)
    own = module.double
    out = run_learner_tests(module, "double", {"right": lambda x: x * 2, "abs": lambda x: abs(2 * x)})
    assert list(learner_tests(module)) == ["test_two", "test_negative", "test_crash", "test_fixture"]
    assert {k: v["status"] for k, v in out["right"].items()} == {
        "test_two": "pass", "test_negative": "pass", "test_crash": "error", "test_fixture": "error"}
    assert out["abs"]["test_negative"] == {"status": "fail", "message": "AssertionError: negatives double too"}
    assert out["right"]["test_crash"]["message"] == "KeyError: 'boom'"
    assert "fixtures" in out["right"]["test_fixture"]["message"]
    assert module.double is own  # the learner's own function is put back


def test_keyword_arguments_reach_a_positional_only_version():
    module = module_from("def scale(x, factor=2):\n    return x * factor\n\n"
                         "def test_kw():\n    assert scale(3, factor=10) == 30\n\n"
                         "def test_default():\n    assert scale(3) == 6\n")
    out = run_learner_tests(module, "scale", {"positional": lambda *args: args[0] * args[1]})
    assert {k: v["status"] for k, v in out["positional"].items()} == {"test_kw": "pass", "test_default": "pass"}


def test_imported_test_functions_are_not_the_learners():
    module = module_from("from os.path import join as test_join\n\ndef test_mine():\n    pass\n")
    assert list(learner_tests(module)) == ["test_mine"]


def test_services_are_looked_up_by_prefix_only():
    module = module_from(LEARNER_TESTS)
    assert service(module, f"{SERVICE_PREFIX}run_tests") is not None
    assert service(module, f"{SERVICE_PREFIX}nothing") is None


def test_time_against_uses_the_given_source_not_the_learners_copy():
    given = "def slow(n):\n    return sum(i for i in range(n))\n"
    module = module_from("def slow(n):\n    raise AssertionError('never called')\n\ndef fast(n):\n    return n * (n - 1) // 2\n")
    timing = time_against(module, "fast", given, "slow", [20_000], repeats=2)
    assert timing["result"] == sum(range(20_000))
    assert timing["slow_s"] > timing["fast_s"] > 0


def test_given_code_is_the_drills_own():
    source = starter_source("vectorize")
    assert source.startswith("# mlprep drill: vectorize")
    slow = given_function("vectorize", "iou_matrix_slow")
    assert slow.__module__ == "mlprep_given"
    assert load_source("x = 2\n", "<given>")["x"] == 2
