# mlprep drill: bpe_tokenizer
# expect: in the order they were learned
# Mistake: encode merges the leftmost pair that has a merge, instead of merge 0 everywhere first
"""Reference solution: byte-level BPE training, encoding and decoding."""

from __future__ import annotations

from collections import Counter


def _merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace the occurrences of ``pair`` left to right, without overlap."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train_bpe(text: str, num_merges: int) -> list[tuple[int, int]]:
    """Learn up to num_merges merges from the UTF-8 bytes of text."""
    ids = list(text.encode("utf-8"))
    merges: list[tuple[int, int]] = []
    for i in range(num_merges):
        if len(ids) < 2:
            break
        counts = Counter(zip(ids, ids[1:], strict=False))  # overlapping pairs
        pair = min(counts, key=lambda p: (-counts[p], p))  # most frequent, then smallest pair
        ids = _merge(ids, pair, 256 + i)
        merges.append((int(pair[0]), int(pair[1])))
    return merges


def encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    """The UTF-8 bytes of text with the merges applied in the order they were learned."""
    ids = list(text.encode("utf-8"))
    rank = {tuple(p): i for i, p in enumerate(merges)}
    changed = True
    while changed:
        changed = False
        for j in range(len(ids) - 1):
            if (ids[j], ids[j + 1]) in rank:
                ids[j:j + 2] = [256 + rank[(ids[j], ids[j + 1])]]
                changed = True
                break
    return ids


def decode(ids: list[int], merges: list[tuple[int, int]]) -> str:
    """Expand every token to its bytes and decode them as UTF-8 with errors="replace"."""
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    return b"".join(vocab[int(t)] for t in ids).decode("utf-8", errors="replace")
