"""Public examples for bpe_tokenizer: run `pytest` next to your bpe_tokenizer.py."""

from bpe_tokenizer import decode, encode, train_bpe

MERGES = [(97, 97), (97, 98), (256, 257)]


def test_train_small():
    """three merges of 'aaabdaaabac' (the second round is a tie won by the smaller pair)"""
    assert [tuple(m) for m in train_bpe("aaabdaaabac", 3)] == MERGES


def test_encode_decode():
    """encoding replays the merges; decoding gives the text back"""
    ids = encode("aaabdaaabac", MERGES)
    assert list(ids) == [258, 100, 258, 97, 99]
    assert decode(ids, MERGES) == "aaabdaaabac"


def test_left_to_right():
    """'aaa' with the merge (97, 97) becomes [256, 97]"""
    assert list(encode("aaa", [(97, 97)])) == [256, 97]
