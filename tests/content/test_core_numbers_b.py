"""Recompute the numbers stated in the curated banks cnn, computer-vision, sequence-models,
transformers-llm and training-at-scale.

Every test derives the value independently (torch layers, numpy, closed forms) and checks that the
question states it: in the answer for open questions, in the correct choice for choice questions,
where no other choice may state it as well.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from conftest import REPO
from torch import nn

from mlprep.bank.loader import load_questions
from mlprep.bank.schema import Question

CORE = REPO / "questions" / "core"
_NUM = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_POWER_OF_TEN = re.compile(r"(\d(?:\.\d+)?)\s*\\times\s*10\^\{?(-?\d+)\}?")  # 2.6 \times 10^{5}


@pytest.fixture(scope="module")
def q():
    bank = {question.id: question for question in load_questions([CORE])}

    def get(qid: str) -> Question:
        assert qid in bank, f"question {qid} is missing from questions/core"
        return bank[qid]

    return get


def stated(text: str) -> list[float]:
    """The numbers written in a text; understands `,` and `{,}` separators and `a \\times 10^{b}`."""
    text = _POWER_OF_TEN.sub(r"\1e\2", text.replace("{,}", ","))
    return [float(tok.replace(",", "")) for tok in _NUM.findall(text)]


def mentions(text: str, value: float, rel: float) -> bool:
    return states(text, [value], rel)


def states(text: str, values: list[float], rel: float) -> bool:
    """Whether the text states ``values`` in this order (other numbers may come between)."""
    found = iter(stated(text))
    return all(any(math.isclose(x, v, rel_tol=rel, abs_tol=0.0) for x in found) for v in values)


def assert_answer(question: Question, *values: float, rel: float = 1e-9) -> None:
    assert states(question.answer, list(values), rel), f"{question.id}: answer does not state {values}"


def assert_choice(question: Question, *values: float, rel: float = 1e-9) -> None:
    assert question.kind == "choice" and question.correct, question.id
    assert states(question.correct, list(values), rel), f"{question.id}: correct choice does not state {values}"
    for other in question.choices:
        if other != question.correct:
            assert not states(other, list(values), rel), f"{question.id}: {other!r} also states {values}"


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


def test_same_padding(q):
    x = torch.zeros(1, 1, 15, 15)
    paddings = []
    for k, d in ((3, 1), (5, 1), (7, 1), (3, 2)):
        p = next(p for p in range(8) if nn.Conv2d(1, 1, k, padding=p, dilation=d)(x).shape[-1] == 15)
        paddings.append(p)
    assert_answer(q("cnn.same-padding"), *paddings)


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


def test_conv_weight_shape_and_densenet_width(q):
    shape = tuple(nn.Conv2d(3, 64, 5).weight.shape)
    assert q("cnn.weight-shape").correct == str(shape)
    block_in, growth, layers = 64, 32, 6
    x = torch.zeros(1, block_in, 4, 4)
    for _ in range(layers):  # each layer concatenates `growth` new maps to everything before it
        x = torch.cat([x, nn.Conv2d(x.shape[1], growth, 3, padding=1)(x)], dim=1)
    assert_answer(q("cnn.densenet"), x.shape[1])


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
    # the answer probes C_in*k*k one-hot inputs (tested in test_note_counterparts); the impulse variant is the explanation's
    assert "rotated by 180" in q("cnn.extract-conv-weights").explanation



# --- computer-vision -----------------------------------------------------------------------------


def raster_iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def test_iou_by_counting_pixels(q):
    grid = np.zeros((2, 20, 20), dtype=bool)
    grid[0, 0:10, 0:10] = True
    grid[1, 5:15, 5:15] = True
    assert_choice(q("computer-vision.iou"), round(raster_iou(grid[0], grid[1]), 3))


def test_temporal_iou(q):
    seconds = np.arange(0, 20, 0.5) + 0.25  # half-second cells, centres inside the segments
    pred, true = (seconds > 2) & (seconds < 8), (seconds > 5) & (seconds < 11)
    assert_answer(q("computer-vision.temporal-iou"), round(raster_iou(pred, true), 3))


def test_cutmix_label(q):
    image = np.zeros((224, 224), dtype=bool)
    image[50:162, 30:142] = True  # the pasted 112x112 dog patch
    dog = image.mean()
    assert_choice(q("computer-vision.cutmix-label"), 1 - dog, dog)


def test_initial_loss_of_uniform_classifier(q):
    loss = nn.functional.cross_entropy(torch.zeros(1, 100), torch.tensor([3])).item()
    assert_choice(q("computer-vision.initial-loss-check"), round(loss, 2))


def test_focal_loss_factor(q):
    p_t = torch.tensor(0.9)
    ce = -torch.log(p_t)
    focal = -((1 - p_t) ** 2) * torch.log(p_t)
    factor = (focal / ce).item()
    answer = q("computer-vision.focal-loss").answer
    assert mentions(answer, factor, 1e-6) and mentions(answer, round(1 / factor), 1e-6)


def test_yolo_v1_output(q):
    s, b, c = 7, 2, 20
    assert_choice(q("computer-vision.yolo-v1-output"), b * 5 + c, s * s * (b * 5 + c))


def test_dice_and_iou_of_masks(q):
    pred, true = np.zeros(100, dtype=bool), np.zeros(100, dtype=bool)
    pred[:40] = True
    true[10:70] = True
    dice = 2 * (pred & true).sum() / (pred.sum() + true.sum())
    assert (pred & true).sum() == 30
    assert_answer(q("computer-vision.dice"), dice, round(raster_iou(pred, true), 3))


def test_vit_tokens(q):
    patches = nn.Conv2d(3, 8, kernel_size=16, stride=16)(torch.zeros(1, 3, 224, 224)).flatten(2)
    n_tokens = patches.shape[-1]
    assert_choice(q("computer-vision.vit-patches"), n_tokens, n_tokens + 1, 16 * 16 * 3)
    assert_answer(q("computer-vision.vit-higher-resolution"), math.isqrt(n_tokens), 384 // 16)


def test_triplet_loss(q):
    loss = nn.TripletMarginLoss(margin=0.3)
    anchor = torch.zeros(1, 2)
    positive, negative = torch.tensor([[0.5, 0.0]]), torch.tensor([[0.0, 0.7]])
    value = loss(anchor, positive, negative).item()
    assert_answer(q("computer-vision.triplet-loss"), round(value, 4))


def test_conv3d_params(q):
    weights = n_params(nn.Conv3d(64, 64, 3, bias=False))
    assert_choice(q("computer-vision.conv3d-params"), weights)
    assert_answer(q("computer-vision.conv3d-params"), n_params(nn.Conv2d(64, 64, 3, bias=False)))


# --- sequence-models -----------------------------------------------------------------------------


def test_recurrent_param_counts(q):
    rnn, lstm, gru = nn.RNN(10, 20), nn.LSTM(10, 20), nn.GRU(10, 20)
    assert_choice(q("sequence-models.rnn-param-count"), n_params(rnn))
    assert_choice(q("sequence-models.lstm-param-count"), n_params(lstm))
    assert_answer(q("sequence-models.gru-param-count"), n_params(rnn), n_params(gru))


def test_gradient_decay_over_50_steps(q):
    w = torch.tensor([[0.9]], requires_grad=True)
    h = torch.ones(1, 1)
    h0 = h.clone().requires_grad_(True)
    h = h0
    for _ in range(50):
        h = h @ w.detach()
    h.sum().backward()
    surviving = h0.grad.item()
    question = q("sequence-models.gradient-decay-rate")
    assert_choice(question, round(100 * surviving, 1))
    assert_answer(question, round(surviving, 4))


def test_clip_grad_norm(q):
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.tensor([3.0, 4.0])
    nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert_choice(q("sequence-models.gradient-clipping"), *p.grad.tolist(), rel=1e-6)


def test_attention_context(q):
    weights = torch.softmax(torch.tensor([2.0, 1.0, 0.0]), dim=0)
    context = (weights * torch.tensor([1.0, 2.0, 3.0])).sum().item()
    assert_answer(q("sequence-models.attention-context-numeric"), *[round(w, 3) for w in weights.tolist()])
    assert_answer(q("sequence-models.attention-context-numeric"), round(context, 2))


def test_ar1_variance_by_simulation(q):
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(200_000)
    x = np.zeros_like(noise)
    for t in range(1, len(x)):
        x[t] = 0.5 * x[t - 1] + noise[t]
    closed_form = 1 / (1 - 0.5**2)
    assert abs(x[1000:].var() - closed_form) < 0.03
    assert_choice(q("sequence-models.ar1-variance"), round(closed_form, 2))


def test_beam_beats_greedy(q):
    step1 = {"A": 0.6, "B": 0.4}
    step2 = {"A": {"x": 0.4, "y": 0.35, "z": 0.25}, "B": {"x": 0.9, "y": 0.05, "z": 0.05}}
    greedy_first = max(step1, key=step1.get)
    greedy = step1[greedy_first] * max(step2[greedy_first].values())
    beams = sorted(step1, key=step1.get, reverse=True)[:2]
    beam = max(step1[b] * p for b in beams for p in step2[b].values())
    assert_choice(q("sequence-models.beam-vs-greedy-example"), round(greedy, 2), round(beam, 2))


def ctc_collapse(path: list[str]) -> str:
    merged = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
    return "".join(s for s in merged if s != "-")


def test_ctc_collapse(q):
    question = q("sequence-models.ctc-collapse")
    path = question.question.split("`")[1].split()
    assert question.correct == ctc_collapse(path)


def test_ctc_minimum_frames(q):
    target = torch.tensor([["helo".index(c) + 1 for c in "hello"]])
    def loss(frames: int) -> float:
        log_probs = torch.zeros(frames, 1, 5).log_softmax(-1)
        return nn.functional.ctc_loss(log_probs, target, [frames], [5], reduction="sum").item()
    minimum = next(t for t in range(1, 12) if math.isfinite(loss(t)))
    answer = q("sequence-models.ctc-min-frames").answer
    assert stated(answer)[0] == minimum


def test_wavenet_receptive_field(q):
    layers = [nn.Conv1d(1, 1, 2, dilation=2**i, bias=False) for i in range(10)]
    for layer in layers:
        nn.init.ones_(layer.weight)
    x = torch.zeros(1, 1, 2048, requires_grad=True)
    out = nn.Sequential(*layers)(x)
    out[0, 0, -1].backward()
    field = int((x.grad[0, 0] != 0).sum())
    assert_choice(q("sequence-models.wavenet-receptive-field"), field)


def test_mape_asymmetry(q):
    actual, forecast = np.array([100.0, 150.0]), np.array([150.0, 100.0])
    ape = 100 * np.abs(forecast - actual) / actual
    assert_choice(q("sequence-models.mape-asymmetry"), round(ape[0]), round(ape[1]))


def test_speech_frame_count(q):
    sample_rate = 16_000
    frames = torch.zeros(3 * sample_rate).unfold(0, sample_rate * 25 // 1000, sample_rate * 10 // 1000).shape[0]
    assert_choice(q("sequence-models.speech-frames"), frames)


# --- transformers-llm ----------------------------------------------------------------------------


def code_in(question: Question) -> dict:
    """Run the Python code block of an answer; return the names it defines."""
    source = question.answer.split("```python", 1)[1].split("```", 1)[0]
    namespace = {"np": np, "torch": torch, "nn": nn, "math": math}
    exec(compile(source, question.id, "exec"), namespace)
    return namespace


def test_dot_product_variance_grows_with_dk(q):
    torch.manual_seed(0)
    d_k = 64
    scores = (torch.randn(20_000, d_k) * torch.randn(20_000, d_k)).sum(-1)
    assert abs(scores.var().item() / d_k - 1) < 0.05
    assert abs((scores / math.sqrt(d_k)).var().item() - 1) < 0.05
    assert "variance $d_k$" in q("transformers-llm.why-sqrt-dk").correct


def test_mha_and_block_param_counts(q):
    assert_choice(q("transformers-llm.mha-param-count"), n_params(nn.MultiheadAttention(512, 8)))
    block = code_in(q("transformers-llm.transformer-layer-code"))["Block"](768, 12)
    question = q("transformers-llm.block-param-count")
    assert_answer(question, n_params(block))
    assert_answer(question, round(12 * n_params(block) / 1e6), rel=0.01)


def test_causal_self_attention_code_matches_sdpa(q):
    torch.manual_seed(0)
    attn = code_in(q("transformers-llm.causal-self-attention-code"))["CausalSelfAttention"](32, 4)
    x = torch.randn(2, 7, 32)
    qkv = attn.qkv(x).split(32, dim=-1)
    heads = [t.view(2, 7, 4, 8).transpose(1, 2) for t in qkv]
    expected = nn.functional.scaled_dot_product_attention(*heads, is_causal=True)
    expected = attn.proj(expected.transpose(1, 2).reshape(2, 7, 32))
    assert torch.allclose(attn(x), expected, atol=1e-5)


def test_transformer_layer_code_is_causal(q):
    torch.manual_seed(0)
    block = code_in(q("transformers-llm.transformer-layer-code"))["Block"](32, 4, dropout=0.0).eval()
    x = torch.randn(1, 6, 32)
    changed = x.clone()
    changed[0, 4:] = torch.randn(2, 32)
    with torch.no_grad():
        a, b = block(x), block(changed)
    assert a.shape == x.shape
    assert torch.allclose(a[0, :4], b[0, :4], atol=1e-6) and not torch.allclose(a[0, 4:], b[0, 4:])


def test_kv_cache_memory_and_gqa(q):
    layers, tokens, d = 32, 4096, 4096
    one_layer = torch.empty(2, tokens, d, dtype=torch.float16)  # K and V
    nbytes = layers * one_layer.nbytes
    question = q("transformers-llm.kv-cache-memory")
    assert_answer(question, nbytes)
    assert_answer(question, nbytes // tokens // 1024)
    assert_choice(question, nbytes / 2**30)
    assert_answer(q("transformers-llm.gqa"), 32, 8, 32 // 8)


def test_temperature_probabilities(q):
    logits = torch.tensor([2.0, 1.0, 0.0])
    cold = torch.softmax(logits / 0.5, dim=0).tolist()
    plain = torch.softmax(logits, dim=0).tolist()
    assert_answer(q("transformers-llm.temperature"), *[round(p, 3) for p in cold + plain])


def test_top_p_numeric(q):
    probs = np.array([0.5, 0.2, 0.15, 0.1, 0.05])
    kept = int(np.argmax(np.cumsum(probs) >= 0.8 - 1e-12)) + 1
    assert_choice(q("transformers-llm.top-p-numeric"), kept, round(probs[0] / probs[:kept].sum(), 3))


def test_numpy_top_k_and_top_p_code(q):
    code = code_in(q("transformers-llm.top-k-top-p-numpy"))
    rng = np.random.default_rng(0)
    logits = np.log(np.array([0.05, 0.4, 0.1, 0.3, 0.15]))
    draws = np.array([code["top_k_sample"](logits, 2, rng) for _ in range(4000)])
    assert set(draws) == {1, 3}
    assert abs((draws == 1).mean() - 0.4 / 0.7) < 0.03
    draws = np.array([code["top_p_sample"](logits, 0.8, rng) for _ in range(4000)])
    assert set(draws) == {1, 3, 4}  # 0.4 + 0.3 + 0.15 is the first prefix reaching 0.8
    assert abs((draws == 4).mean() - 0.15 / 0.85) < 0.03


def test_pytorch_sampling_code(q):
    generate = code_in(q("transformers-llm.sampling-pytorch"))["generate"]
    probs = torch.tensor([0.05, 0.4, 0.1, 0.3, 0.15])

    def model(ids: torch.Tensor) -> torch.Tensor:
        return probs.log().expand(ids.shape[0], ids.shape[1], 5)

    torch.manual_seed(0)
    start = torch.zeros(64, 1, dtype=torch.long)  # a wide batch and few steps: 640 draws, 10 calls
    assert generate(model, start, 3)[:, 1:].eq(1).all()
    top_k = generate(model, start, 10, mode="top_k", k=2)[:, 1:]
    assert set(top_k.unique().tolist()) == {1, 3}
    top_p = generate(model, start, 10, mode="top_p", p=0.8)[:, 1:]
    assert set(top_p.unique().tolist()) == {1, 3, 4}
    assert generate(model, start, 50, eos=1).shape[1] == 2


def test_weight_tying_saving(q):
    saved = torch.Size([50_257, 768]).numel()  # the embedding table that doubles as the output layer
    assert_answer(q("transformers-llm.weight-tying"), saved)
    assert_choice(q("transformers-llm.weight-tying"), round(saved / 1e6, 1))


def test_lora_counts(q):
    d = 4096
    a, b = nn.Linear(d, 8, bias=False), nn.Linear(8, d, bias=False)
    trainable, full = n_params(a) + n_params(b), d * d
    assert_answer(q("transformers-llm.lora"), trainable, full)
    assert_choice(q("transformers-llm.lora-fraction"), round(100 * trainable / full, 2))


def test_int4_group_scales(q):
    bits = 4 + torch.finfo(torch.float16).bits / 128
    assert_choice(q("transformers-llm.int4-group-scales"), bits, round(7e9 * bits / 8 / 1e9, 1))
    assert_answer(q("transformers-llm.int4-group-scales"), bits, 4 + 16 / 32)


def test_mixtral_parameter_counts(q):
    d, ffn, n_layers, experts, vocab, kv_dim = 4096, 14336, 32, 8, 32000, 1024  # Mixtral 8x7B config
    attention = 2 * d * d + 2 * d * kv_dim  # q and o full width; k and v for 8 KV heads of 128
    expert = 3 * d * ffn  # SwiGLU: gate, up, down
    shared = n_layers * (attention + experts * d + 2 * d) + 2 * vocab * d + d  # + router, norms, embeddings, head
    stored = shared + n_layers * experts * expert
    active = shared + n_layers * 2 * expert
    question = q("transformers-llm.moe-active-parameters")
    assert_choice(question, round(stored / 1e9), round(active / 1e9))
    assert_answer(question, round(stored / 1e9, 1), round(active / 1e9, 1))


def test_bradley_terry_probability(q):
    p = torch.sigmoid(torch.tensor(2.0 - 1.0)).item()
    assert_choice(q("transformers-llm.reward-model-probability"), round(p, 3))


def test_training_compute(q):
    flops = 6 * 1e9 * 20e9
    question = q("transformers-llm.training-compute-example")
    assert_answer(question, flops)
    assert_answer(question, round(flops / (0.4 * 1e15) / 86_400, 1))
    tokens = 20 * 70e9
    assert_choice(q("transformers-llm.chinchilla"), tokens / 1e12, float(f"{6 * 70e9 * tokens:.1e}"))


# --- training-at-scale ---------------------------------------------------------------------------


def ring_all_reduce(buffers: list[np.ndarray]) -> tuple[list[np.ndarray], int]:
    """Reduce-scatter then all-gather around a ring; returns the results and the elements each rank sent."""
    n = len(buffers)
    chunks = [np.array_split(b.astype(float), n) for b in buffers]
    sent = 0
    for step in range(n - 1):  # reduce-scatter: rank r sends chunk (r - step) to rank r + 1
        outgoing = [(r, (r - step) % n, chunks[r][(r - step) % n].copy()) for r in range(n)]
        for r, c, data in outgoing:
            chunks[(r + 1) % n][c] += data
        sent += len(outgoing[0][2])
    for step in range(n - 1):  # all-gather: rank r passes on the finished chunk (r + 1 - step)
        outgoing = [(r, (r + 1 - step) % n, chunks[r][(r + 1 - step) % n].copy()) for r in range(n)]
        for r, c, data in outgoing:
            chunks[(r + 1) % n][c] = data
        sent += len(outgoing[0][2])
    return [np.concatenate(c) for c in chunks], sent


def test_ring_all_reduce_traffic(q):
    rng = np.random.default_rng(0)
    ranks, size = 8, 800
    buffers = [rng.standard_normal(size) for _ in range(ranks)]
    results, sent = ring_all_reduce(buffers)
    for result in results:
        assert np.allclose(result, np.sum(buffers, axis=0))
    assert_choice(q("training-at-scale.ring-allreduce"), sent / size)


def test_pipeline_bubble_by_schedule(q):
    stages, micro = 4, 12
    # GPipe forward: stage s runs micro-batch m in time slot s + m; backward mirrors it
    slots = max(s + m for s in range(stages) for m in range(micro)) + 1
    busy = stages * micro
    bubble = 1 - busy / (stages * slots)
    assert_choice(q("training-at-scale.pipeline-bubble"), round(100 * bubble))


def test_mixed_precision_adam_bytes(q):
    sizes = [torch.empty(0, dtype=t).element_size() for t in (torch.float16, torch.float16, torch.float32)]
    per_param = sum(sizes) + 2 * torch.empty(0, dtype=torch.float32).element_size()  # + Adam m and v
    psi, n = 7.5e9, 64
    assert_choice(q("training-at-scale.adam-memory"), per_param * psi / 1e9)
    question = q("training-at-scale.zero-stages")
    zero1 = (4 * psi + 12 * psi / n) / 1e9
    zero2 = (2 * psi + 14 * psi / n) / 1e9
    assert_answer(question, per_param * psi / 1e9, round(zero1, 1), round(zero2, 1), per_param * psi / n / 1e9)


def test_fp16_and_bf16_formats(q):
    fp16, bf16 = torch.finfo(torch.float16), torch.finfo(torch.bfloat16)
    question = q("training-at-scale.fp16-limits")
    assert_choice(question, fp16.max, round(fp16.tiny, 6))
    assert_answer(question, fp16.max)
    mantissa = {name: -int(math.log2(info.eps)) for name, info in (("fp16", fp16), ("bf16", bf16))}
    assert_choice(q("training-at-scale.fp16-vs-bf16"), 5, mantissa["fp16"], fp16.max, 8, mantissa["bf16"])
    assert bf16.max == pytest.approx(torch.finfo(torch.float32).max, rel=0.01)
    cloze = q("training-at-scale.bf16-exponent").question
    assert "{{c1::8}}" in cloze and f"{{{{c2::{mantissa['bf16']}}}}}" in cloze
    assert mentions(q("training-at-scale.loss-scaling").answer, round(2.0**-24 * 1e8) / 1e8, rel=0.02)


def test_float32_absorbs_small_addend(q):
    big, one = np.float32(1e8), np.float32(1)
    assert_choice(q("training-at-scale.float-non-associativity"), float((big + one) - big))
    assert mentions(q("training-at-scale.float-non-associativity").answer, float(np.spacing(big)), 0)


def test_gradient_accumulation_code_matches_full_batch(q):
    torch.manual_seed(0)
    model, loss_fn = nn.Linear(3, 1), nn.MSELoss()
    x, y = torch.randn(8, 3), torch.randn(8, 1)
    loss_fn(model(x), y).backward()
    full = model.weight.grad.clone()
    model.weight.grad = None

    class Recorder:
        def step(self):
            self.grad = model.weight.grad.clone()

        def zero_grad(self, set_to_none=True):
            model.weight.grad = None

    optimizer = Recorder()
    loader = list(zip(x.split(2), y.split(2), strict=True))
    source = q("training-at-scale.gradient-accumulation").answer.split("```python", 1)[1].split("```", 1)[0]
    exec(source, {"loader": loader, "loss_fn": loss_fn, "model": model, "optimizer": optimizer, "accum_steps": 4})
    assert torch.allclose(optimizer.grad, full, atol=1e-6)
    assert "4x" in q("training-at-scale.grad-accum-loss-scaling-bug").correct


def test_scaling_efficiency_and_batch_sizes(q):
    speed_up = 7200 / 1000
    assert_choice(q("training-at-scale.scaling-efficiency"), round(100 * speed_up / 8))
    assert_choice(q("training-at-scale.effective-batch-size"), 16 * 4 * 8)
    assert_answer(q("training-at-scale.torchrun-env"), 2 * 8)


def test_mfu_and_training_time(q):
    mfu = 6 * 1e9 * 100_000 / 989e12
    assert_choice(q("training-at-scale.mfu"), round(100 * mfu))
    seconds = 6 * 7e9 * 1e12 / (1024 * 312e12 * 0.5)
    question = q("training-at-scale.training-time-estimate")
    assert_answer(question, 4.2e22, float(f"{seconds:.1e}"), round(seconds / 86_400, 1))


def test_eight_bit_optimizer_states(q):
    params = 7e9
    fp32 = 2 * torch.empty(0, dtype=torch.float32).element_size() * params
    int8 = 2 * torch.empty(0, dtype=torch.int8).element_size() * params
    assert_choice(q("training-at-scale.8bit-optimizer"), fp32 / 1e9, int8 / 1e9)
