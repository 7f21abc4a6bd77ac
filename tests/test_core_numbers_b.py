"""Recompute the numbers stated in the curated banks cnn, computer-vision, sequence-models,
transformers-llm and training-at-scale.

Every test derives the value independently (torch layers, numpy, closed forms) and checks that the
question states it: in the answer for open questions, in the correct choice for choice questions,
where no other choice may state it as well.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import torch
from torch import nn

from mlprep.bank import load_questions
from mlprep.schema import Question

CORE = Path(__file__).resolve().parent.parent / "questions" / "core"
_NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?")


@pytest.fixture(scope="module")
def q():
    bank = {question.id: question for question in load_questions([CORE])}

    def get(qid: str) -> Question:
        assert qid in bank, f"question {qid} is missing from questions/core"
        return bank[qid]

    return get


def stated(text: str) -> list[float]:
    """The numbers written in a text; `{,}` (LaTeX thousands) and `,` separators are understood."""
    text = text.replace("{,}", ",")
    return [float(tok.replace(",", "")) for tok in _NUM.findall(text)]


def mentions(text: str, value: float, rel: float) -> bool:
    return any(math.isclose(x, value, rel_tol=rel, abs_tol=0.0) for x in stated(text))


def assert_answer(question: Question, *values: float, rel: float = 1e-9) -> None:
    for value in values:
        assert mentions(question.answer, value, rel), f"{question.id}: answer does not state {value}"


def assert_choice(question: Question, *values: float, rel: float = 1e-9) -> None:
    assert question.kind == "choice" and question.correct, question.id
    for value in values:
        assert mentions(question.correct, value, rel), f"{question.id}: correct choice does not state {value}"
    for other in question.choices:
        if other != question.correct:
            assert not all(mentions(other, v, rel) for v in values), f"{question.id}: {other!r} also states {values}"


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def receptive_field(net: nn.Module, size: int = 64) -> int:
    """Width of the input region that influences the centre output unit (all-ones weights, no biases)."""
    for p in net.parameters():
        nn.init.ones_(p)
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    out = net(x)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    cols = torch.nonzero(x.grad[0, 0].abs().sum(0)).flatten()
    return int(cols.max() - cols.min() + 1)


# --- cnn -----------------------------------------------------------------------------------------


def test_conv_param_count(q):
    assert_answer(q("cnn.conv-param-count"), n_params(nn.Conv2d(3, 3, 3)))


def test_conv_param_count_choices(q):
    assert_choice(q("cnn.param-count-64-128"), n_params(nn.Conv2d(64, 128, 3)))
    assert_choice(q("cnn.param-count-1x1"), n_params(nn.Conv2d(256, 64, 1)))
    assert_choice(q("cnn.grouped-conv-params"), n_params(nn.Conv2d(64, 128, 3, groups=4, bias=False)))


def test_batchnorm_counts(q):
    bn = nn.BatchNorm2d(64)
    running = bn.running_mean.numel() + bn.running_var.numel()
    assert_answer(q("cnn.bn-param-count"), n_params(bn), running)


def test_depthwise_separable_count(q):
    standard = n_params(nn.Conv2d(128, 256, 3, bias=False))
    depthwise = n_params(nn.Conv2d(128, 128, 3, groups=128, bias=False))
    pointwise = n_params(nn.Conv2d(128, 256, 1, bias=False))
    question = q("cnn.depthwise-separable-count")
    assert_choice(question, standard, depthwise + pointwise)
    assert_answer(question, round(standard / (depthwise + pointwise), 1))


def test_resnet_bottleneck_params(q):
    bottleneck = nn.Sequential(
        nn.Conv2d(256, 64, 1, bias=False), nn.Conv2d(64, 64, 3, bias=False), nn.Conv2d(64, 256, 1, bias=False)
    )
    plain = 2 * n_params(nn.Conv2d(256, 256, 3, bias=False))
    assert_choice(q("cnn.resnet-bottleneck-params"), n_params(bottleneck), plain)


def test_vgg16_parameters(q):
    convs = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
    conv_params, c_in = 0, 3
    for c in convs:
        if c != "M":
            conv_params += 9 * c_in * c + c
            c_in = c
    fc1 = 7 * 7 * 512 * 4096 + 4096
    total = conv_params + fc1 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000
    question = q("cnn.vgg16-parameters")
    assert_answer(question, fc1)
    assert_answer(question, conv_params / 1e6, rel=0.01)
    assert mentions(question.question, total / 1e6, rel=0.01)
    assert mentions(question.correct, fc1 / 1e6, rel=0.01)


def test_resnet_stem_output_size(q):
    x = torch.zeros(1, 3, 224, 224)
    y = nn.Conv2d(3, 1, 7, stride=2, padding=3)(x)
    pooled = nn.MaxPool2d(3, stride=2, padding=1)(y)
    question = q("cnn.output-size-resnet-stem")
    assert_choice(question, y.shape[-1])
    assert_answer(question, pooled.shape[-1])


def test_receptive_fields(q):
    three_3x3 = nn.Sequential(*[nn.Conv2d(1, 1, 3, bias=False) for _ in range(3)])
    assert_answer(q("cnn.receptive-field-stacked-3x3"), receptive_field(three_3x3), 27)
    # average pooling has max pooling's geometry but passes gradient to every pixel of its window
    with_pool = nn.Sequential(
        nn.Conv2d(1, 1, 3, bias=False), nn.AvgPool2d(2), nn.Conv2d(1, 1, 3, bias=False), nn.Conv2d(1, 1, 3, bias=False)
    )
    assert_choice(q("cnn.receptive-field-with-pool"), receptive_field(with_pool))
    dilated = nn.Sequential(*[nn.Conv2d(1, 1, 3, dilation=d, bias=False) for d in (1, 2, 4)])
    assert_choice(q("cnn.receptive-field-dilated"), receptive_field(dilated))


def test_transposed_conv_output(q):
    y = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)(torch.zeros(1, 1, 16, 16))
    assert_answer(q("cnn.transposed-conv-output"), y.shape[-1])


def test_conv_macs_and_activation_memory(q):
    macs = 56 * 56 * 64 * (3 * 3 * 64)
    question = q("cnn.conv-flops")
    assert_answer(question, macs)
    assert_choice(question, round(macs / 1e6, 1))
    assert mentions(question.explanation or "", n_params(nn.Conv2d(64, 64, 3, bias=False)) / 1e3, rel=2e-3)
    nbytes = torch.zeros(64, 112, 112, dtype=torch.float32).nbytes
    question = q("cnn.activation-memory")
    assert_answer(question, nbytes)
    assert_choice(question, round(nbytes / 1e6, 1))


def test_keras_net_shapes(q):
    layers = [nn.Conv2d(3, 4, 3), nn.Conv2d(4, 4, 1), nn.Conv2d(4, 4, 3), nn.Conv2d(4, 4, 1), nn.MaxPool2d(6),
              nn.Conv2d(4, 8, 10)]
    x, sizes = torch.zeros(1, 3, 100, 100), []
    for layer in layers:
        x = layer(x)
        sizes.append(x.shape[-1])
    with pytest.raises(RuntimeError):
        nn.Conv2d(8, 8, 10)(x)
    answer = q("cnn.keras-net-review").answer
    assert "→".join(str(s) for s in [100, *sizes[:5]]) in answer
    assert mentions(answer, sizes[-1], 0) and f"{sizes[-1]}x{sizes[-1]}" in answer


def test_impulse_probe_recovers_conv_weights(q):
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 3, 3)
    with torch.no_grad():
        bias = conv(torch.zeros(1, 3, 9, 9))[0, :, 4, 4]
        impulses = torch.zeros(3, 3, 9, 9)
        for c in range(3):
            impulses[c, c, 4, 4] = 1.0
        out = conv(impulses) - bias[None, :, None, None]  # (c_in, c_out, 7, 7)
        # out[c, o, 4-u, 4-v] = W[o, c, u, v]: the 3x3 patch ending at the impulse, mirrored
        patch = out[:, :, 2:5, 2:5].flip(-1).flip(-2).permute(1, 0, 2, 3)
    assert torch.allclose(bias, conv.bias.detach(), atol=1e-6)
    assert torch.allclose(patch, conv.weight.detach(), atol=1e-6)
    assert "3 forward passes" in q("cnn.extract-conv-weights").answer
