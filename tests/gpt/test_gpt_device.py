"""Device and CPU-thread choice: an explicit request wins, then OMP_NUM_THREADS, then a probe."""

from __future__ import annotations

import pytest
import torch
from gpt_helpers import ensure_importable  # noqa: F401
from nanogpt import device


@pytest.fixture(autouse=True)
def restore_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_an_explicit_request_wins(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert device.choose_threads(1) == (1, "--threads")
    assert torch.get_num_threads() == 1


def test_omp_num_threads_is_respected(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    assert device.choose_threads(None) == (1, "OMP_NUM_THREADS")


def test_the_probe_keeps_the_faster_count(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(device, "physical_cores", lambda: 2)
    n, why = device.choose_threads(None)
    assert n in (1, 2) and why.startswith("measured (1: ") and torch.get_num_threads() == n
    monkeypatch.setattr(device, "physical_cores", lambda: 1)
    assert device.choose_threads(None) == (1, "physical cores")


def test_physical_cores_counts_each_core_once():
    assert 1 <= device.physical_cores() <= (torch.get_num_threads() + 64)


def test_pick_device_refuses_a_missing_gpu():
    from nanogpt.errors import GPTError

    assert device.pick_device("cpu") == "cpu"
    with pytest.raises(GPTError, match="unknown device"):
        device.pick_device("tpu")
