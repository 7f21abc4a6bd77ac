"""The drill catalogue: metadata validation, name rules, and for every drill under drills/,
the reference solution passes its tests and the untouched starter fails them."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mlprep.drills import catalog as catalog_mod
from mlprep.drills.catalog import catalog, drill_for_file, drill_names, find_drill, load_drill
from mlprep.drills.runner import run
from mlprep.errors import MlprepError
from mlprep.paths import content_dir

DRILLS = drill_names()  # not validated here: a broken drill fails its own tests, not collection


@pytest.fixture(scope="module")
def verdicts() -> dict:
    """Grade every drill's reference solution and starter, a few at a time."""
    jobs = [(name, kind) for name in DRILLS for kind in ("solution", "starter")]

    def grade(job):
        name, kind = job
        try:
            drill = find_drill(name)
        except MlprepError as exc:
            return job, exc
        return job, run(drill, drill.solution if kind == "solution" else drill.starter)

    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        return dict(pool.map(grade, jobs))


def test_first_drills_exist():
    assert {"top_k", "top_p", "linear_weights"} <= set(DRILLS)


@pytest.mark.slow
@pytest.mark.parametrize("name", DRILLS)
def test_reference_passes_and_starter_fails(verdicts, name):
    if isinstance(verdicts[(name, "solution")], MlprepError):
        pytest.fail(f"invalid drill: {verdicts[(name, 'solution')]}")
    solved = verdicts[(name, "solution")].as_json()
    assert solved["status"] == "pass", [t for t in solved["tests"] if t["status"] != "pass"]
    assert solved["passed"] >= 3
    started = verdicts[(name, "starter")].as_json()
    assert started["status"] != "pass"
    assert started["passed"] == 0, [t["name"] for t in started["tests"] if t["status"] == "pass"]
    assert {t["name"].split(":")[0] for t in solved["tests"]} == {"example", "hidden"}


@pytest.mark.parametrize("name", DRILLS)
def test_metadata_and_files(name):
    drill = find_drill(name)
    assert drill.hints(), "a drill needs at least one hint"
    assert "```python" in drill.prompt, "the prompt shows the signature in a python code block"
    assert drill.solution.is_file()


@pytest.fixture
def fake_content(tmp_path, monkeypatch):
    """A content root with one valid drill copied from top_k, to break in various ways."""
    drills, solutions = tmp_path / "drills", tmp_path / "solutions"
    shutil.copytree(content_dir("drills") / "top_k", drills / "demo")
    solutions.mkdir()
    shutil.copy(content_dir("solutions") / "top_k.py", solutions / "demo.py")
    starter = drills / "demo" / "starter.py"
    starter.write_text(starter.read_text().replace("# mlprep drill: top_k", "# mlprep drill: demo"))
    monkeypatch.setattr(catalog_mod, "content_dir", lambda kind: tmp_path / kind)
    return drills / "demo"


def test_fake_content_is_valid(fake_content):
    assert list(catalog()) == ["demo"]
    assert find_drill("demo").title.startswith("Top-k")


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda d: (d / "drill.yaml").write_text("title: [unclosed\n"), "malformed YAML"),
        (lambda d: (d / "drill.yaml").write_text((d / "drill.yaml").read_text().replace("topic:", "topik:")), "unknown key(s) topik"),
        (lambda d: (d / "drill.yaml").write_text((d / "drill.yaml").read_text().replace("minutes: 20", "minutes: soon")), "'minutes' has the wrong type"),
        (lambda d: (d / "drill.yaml").write_text((d / "drill.yaml").read_text().replace("framework: numpy", "framework: jax")), "framework must be one of"),
        (lambda d: (d / "drill.yaml").write_text((d / "drill.yaml").read_text().replace("difficulty: easy", "difficulty: 2")), "wrong type"),
        (lambda d: (d / "starter.py").write_text("import numpy\n"), "first line must be '# mlprep drill: demo'"),
        (lambda d: (d / "hints.yaml").unlink(), "missing hints.yaml"),
        (lambda d: shutil.rmtree(d / "examples"), "needs at least one test_*.py"),
        (lambda d: (d.parent.parent / "solutions" / "demo.py").unlink(), "no reference solution"),
    ],
    ids=["yaml", "unknown-key", "type", "framework", "difficulty", "first-line", "hints", "examples", "solution"],
)
def test_invalid_drills_name_the_file(fake_content, edit, message):
    edit(fake_content)
    with pytest.raises(MlprepError) as info:
        load_drill(fake_content)
    assert message in str(info.value)
    assert info.value.path and info.value.path.startswith(str(fake_content.parent.parent))


def test_hints_md_blocks(fake_content):
    (fake_content / "hints.yaml").unlink()
    (fake_content / "hints.md").write_text("First *hint*.\n---\nSecond:\n\n```python\nx = 1\n```\n")
    assert load_drill(fake_content).hints() == ["First *hint*.", "Second:\n\n```python\nx = 1\n```"]


@pytest.mark.parametrize("name", ["../top_k", "top_k/../top_p", "drills/top_k", "/etc/passwd", "Top_K", ""])
def test_path_like_names_are_refused(name):
    with pytest.raises(MlprepError, match="is not a drill name"):
        find_drill(name)


def test_unknown_name_suggests_a_close_one():
    with pytest.raises(MlprepError, match="unknown drill 'top_kk'; did you mean 'top_k'"):
        find_drill("top_kk")


def test_drill_for_file(tmp_path):
    by_line = tmp_path / "anything.py"
    by_line.write_text("# mlprep drill: top_p\n")
    assert drill_for_file(by_line).name == "top_p"
    assert drill_for_file(by_line, "top_k").name == "top_k"
    by_name = tmp_path / "top_k.py"
    by_name.write_text("import numpy\n")
    assert drill_for_file(by_name).name == "top_k"
    unknown = tmp_path / "mine.py"
    unknown.write_text("x = 1\n")
    with pytest.raises(MlprepError, match="cannot tell which drill"):
        drill_for_file(unknown)
    bad = tmp_path / "bad.py"
    bad.write_text("# mlprep drill: nope\n")
    with pytest.raises(MlprepError, match="unknown drill 'nope'"):
        drill_for_file(Path(bad))


def test_a_drill_may_not_shadow_a_module(fake_content):
    shadow = fake_content.parent / "random"
    fake_content.rename(shadow)
    with pytest.raises(MlprepError, match="also a module the grader imports"):
        load_drill(shadow)
