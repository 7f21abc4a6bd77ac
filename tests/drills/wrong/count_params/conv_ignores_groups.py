# mlprep drill: count_params
# expect: groups
# Mistake: ignores groups: every filter sees all input channels
from __future__ import annotations


def _pair(k: int | list[int]) -> tuple[int, int]:
    return (k, k) if isinstance(k, int) else (k[0], k[1])


def count_params(spec: dict) -> int:
    """Trainable parameters of the layer described by ``spec`` (see the prompt for the keys)."""
    kind = spec["type"]
    if kind == "sequential":
        return sum(count_params(layer) for layer in spec["layers"])
    if kind == "linear":
        n_in, n_out = spec["in_features"], spec["out_features"]
        return n_in * n_out + (n_out if spec.get("bias", True) else 0)
    if kind == "conv2d":
        kh, kw = _pair(spec["kernel_size"])
        n_out = spec["out_channels"]
        # each filter sees only in_channels / groups input channels
        weights = n_out * spec["in_channels"] * kh * kw
        return weights + (n_out if spec.get("bias", True) else 0)
    if kind == "batchnorm2d":
        # gamma and beta per channel; running mean/var are buffers
        return 2 * spec["num_features"] if spec.get("affine", True) else 0
    if kind == "layernorm":
        if not spec.get("elementwise_affine", True):
            return 0
        n = spec["normalized_shape"]
        return n * (2 if spec.get("bias", True) else 1)
    if kind == "embedding":
        return spec["num_embeddings"] * spec["embedding_dim"]
    if kind == "multihead_attention":
        e = spec["embed_dim"]
        # packed q, k, v projections (3E x E) and the output projection (E x E), biases 3E + E
        return 4 * e * e + (4 * e if spec.get("bias", True) else 0)
    raise ValueError(f"unknown layer type {kind!r}")
