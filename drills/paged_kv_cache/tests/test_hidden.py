"""Hidden tests for paged_kv_cache: the learner's class is driven through the starter's `run` with
lists of operations; a judge-side model (a contiguous cache per sequence plus the lowest-first page
allocator the prompt specifies) gives every expected result, and the page pools are checked slot by slot."""

import heapq
import math

import torch

from mlprep.drills.compare import assert_close, describe, fail


class Model:
    """The expected behaviour, written plainly: contiguous keys/values per sequence, a min-heap of pages."""

    def __init__(self, num_pages, page_size, n_heads, head_dim):
        self.P = page_size
        self.free_ids = list(range(num_pages))
        self.tables, self.k, self.v = {}, {}, {}

    def append(self, seq, k, v):
        table = self.tables.get(seq, [])
        n = (self.k[seq].shape[0] if seq in self.k else 0) + k.shape[0]
        need = math.ceil(n / self.P) - len(table)
        if need > len(self.free_ids):
            return {"raised": "RuntimeError"}
        self.tables[seq] = table + [heapq.heappop(self.free_ids) for _ in range(need)]
        self.k[seq] = torch.cat([self.k[seq], k]) if seq in self.k else k.clone()
        self.v[seq] = torch.cat([self.v[seq], v]) if seq in self.v else v.clone()
        return None

    def free(self, seq):
        for page in self.tables.pop(seq):
            heapq.heappush(self.free_ids, page)
        del self.k[seq], self.v[seq]


class Script:
    """Builds the ops for `run` and, beside each, what the model expects."""

    def __init__(self, num_pages, page_size, n_heads, head_dim, seed=0):
        self.config = {"num_pages": num_pages, "page_size": page_size, "n_heads": n_heads, "head_dim": head_dim}
        self.model = Model(num_pages, page_size, n_heads, head_dim)
        self.ops, self.expect, self.notes = [], [], []
        self.g = torch.Generator().manual_seed(seed)
        self.H, self.D = n_heads, head_dim

    def add(self, op, expected, note):
        self.ops.append(op)
        self.expect.append(expected)
        self.notes.append(note)

    def append(self, seq, n):
        k = torch.randn(n, self.H, self.D, generator=self.g)
        v = torch.randn(n, self.H, self.D, generator=self.g)
        want = self.model.append(seq, k, v)
        self.add(("append", seq, k, v), want, f"append({seq}, {n} tokens" + ("; refused)" if want else ")"))

    def check_seq(self, seq):
        m = self.model
        self.add(("length", seq), m.k[seq].shape[0], f"length({seq})")
        self.add(("block_table", seq), list(m.tables[seq]), f"block_table({seq})")
        self.add(("read", seq), (m.k[seq], m.v[seq]), f"read({seq})")

    def free(self, seq):
        self.model.free(seq)
        self.add(("free", seq), None, f"free({seq})")

    def free_count(self):
        self.add(("num_free_pages",), len(self.model.free_ids), "num_free_pages()")

    def unknown(self, seq, name):
        self.add((name, seq), {"raised": "KeyError"}, f"{name}({seq}) on an unknown sequence")

    def attend(self, seq):
        q = torch.randn(self.H, self.D, generator=self.g)
        K, V = self.model.k[seq], self.model.v[seq]
        w = (torch.einsum("hd,lhd->hl", q.double(), K.double()) / math.sqrt(self.D)).softmax(-1)
        want = torch.einsum("hl,lhd->hd", w, V.double()).float()
        w1 = torch.einsum("hd,lhd->hl", q.double(), K.double()).softmax(-1)
        unscaled = torch.einsum("hl,lhd->hd", w1, V.double()).float()
        self.add(("attend", seq, q), ("attend", want, unscaled), f"attend({seq}, q) over {K.shape[0]} tokens")

    def pages(self):
        self.add(("pages",), ("pages", {s: (list(t), self.model.k[s], self.model.v[s]) for s, t in self.model.tables.items()}),
                 "pages()")


REFUSED = ("An append refused for lack of pages must change nothing: count the pages it needs and check the free "
           "pages before taking any")


def table_hint(got, want):
    if type(got) is list and len(got) > len(want):
        return (" A sequence of length L owns exactly ceil(L / page_size) pages: take a new page only when the last "
                "one is full.")
    if type(got) is list and len(got) < len(want):
        return " Tokens that do not fit in the last page need new pages."
    if type(got) is list and sorted(got) != sorted(want):
        return " A new page must be the lowest-numbered free page (pages freed earlier are reused first)."
    return ""


def run_script(solution, s: Script, tolerance):
    got = solution.run(s.config, s.ops)
    if type(got) is not list or len(got) != len(s.ops):
        fail(f"run must return one result per operation ({len(s.ops)}), got {describe(got)}; leave run as the starter has it")
    history = []
    for i, (res, want, note) in enumerate(zip(got, s.expect, s.notes)):
        where = f"operation {i + 1} ({note}) after {', '.join(history[-4:]) or 'nothing'}"
        refused = any(h.endswith("refused)") for h in history)
        if type(res) is dict and "raised" in res and not (type(want) is dict and res == want):
            fail(f"{where}: raised {res['raised']}" + (f"; expected it to {'raise ' + want['raised'] if type(want) is dict else 'succeed'}"))
        if type(want) is dict:
            if res != want:
                extra = " and change nothing" if want["raised"] == "RuntimeError" else ""
                fail(f"{where}: expected a {want['raised']}{extra}, got {describe(res)}")
        elif want is None:
            if res is not None:
                fail(f"{where}: expected None, got {describe(res)}")
        elif type(want) is int:
            if type(res) is not int or res != want:
                hint = ""
                if note.startswith("num_free") and history and history[-1].startswith("free("):
                    hint = ": free must give all of the sequence's pages back to the free pool"
                elif note.startswith("num_free") and refused and res < want:
                    hint = f": {REFUSED}"
                elif note.startswith("num_free"):
                    hint = ": a sequence of length L owns exactly ceil(L / page_size) pages"
                fail(f"{where}: expected {want}, got {describe(res)}{hint}")
        elif type(want) is list:
            res_list = list(res) if type(res) in (list, tuple) else res
            if res_list != want:
                hint = f" {REFUSED}." if refused and type(res_list) is list and len(res_list) > len(want) else \
                    table_hint(res_list, want)
                fail(f"{where}: expected the block table {want}, got {describe(res)}.{hint}")
        elif want[0] == "attend":
            from mlprep.drills.mistakes import assert_close_or_named
            assert_close_or_named(res, want[1], where, {"scores were not divided by sqrt(head_dim)": want[2]}, **tolerance)
        elif want[0] == "pages":
            check_pages(res, want[1], s.model.P, where)
        else:  # read
            if type(res) not in (tuple, list) or len(res) != 2:
                fail(f"{where}: expected (keys, values), got {describe(res)}")
            for name, r, w in (("keys", res[0], want[0]), ("values", res[1], want[1])):
                if type(r) is torch.Tensor and r.shape == w.shape and r.dtype == w.dtype and not torch.equal(r, w):
                    p = int((r != w).flatten(1).any(1).nonzero()[0])
                    fail(f"{where}: the {name} of token {p} are wrong: token p of a sequence must be read from page "
                         f"block_table[p // page_size], slot p % page_size, where append wrote it")
                assert_close(r, w, f"{where}: {name}", rtol=0, atol=0)
        history.append(note)


def check_pages(res, live, P, where):
    if type(res) not in (tuple, list) or len(res) != 2 or any(type(t) is not torch.Tensor for t in res):
        fail(f"{where}: expected the (keys, values) pools, got {describe(res)}")
    for name, pool, idx in (("key", res[0], 1), ("value", res[1], 2)):
        for seq, entry in live.items():
            table, data = entry[0], entry[idx]
            for p in range(data.shape[0]):
                page, slot = table[p // P], p % P
                if pool.dim() != 4 or page >= pool.shape[0] or slot >= pool.shape[1]:
                    fail(f"{where}: the {name} pool has shape {tuple(pool.shape)}; expected (num_pages, page_size, "
                         "n_heads, head_dim)")
                if not torch.equal(pool[page, slot], data[p]):
                    fail(f"{where}: sequence {seq}'s token {p} should sit in the {name} pool at page {page} "
                         f"(= block_table[{p} // {P}]), slot {slot} (= {p} % {P}); it is not there")


def test_one_sequence_in_chunks(solution, tolerance):
    """one sequence grown in chunks that cross page boundaries"""
    s = Script(num_pages=6, page_size=4, n_heads=2, head_dim=3, seed=1)
    for n in (3, 5, 4, 1):
        s.append(0, n)
        s.check_seq(0)
        s.free_count()
    run_script(solution, s, tolerance)


def test_exact_page_boundary(solution, tolerance):
    """a full page takes no new page until the next token"""
    s = Script(num_pages=5, page_size=4, n_heads=1, head_dim=2, seed=2)
    for n in (4, 4, 1, 3):
        s.append(3, n)
        s.check_seq(3)
        s.free_count()
    run_script(solution, s, tolerance)


def test_interleaved_sequences(solution, tolerance):
    """three sequences growing in turns each read their own tokens"""
    s = Script(num_pages=16, page_size=3, n_heads=2, head_dim=4, seed=3)
    for seq, n in ((0, 4), (1, 2), (2, 7), (1, 3), (0, 2), (2, 1), (1, 4)):
        s.append(seq, n)
    for seq in (0, 1, 2):
        s.check_seq(seq)
    s.free_count()
    run_script(solution, s, tolerance)


def test_physical_layout(solution, tolerance):
    """token p sits at page block_table[p // page_size], slot p % page_size"""
    s = Script(num_pages=12, page_size=4, n_heads=2, head_dim=2, seed=4)
    for seq, n in ((5, 6), (9, 3), (5, 3), (9, 6), (2, 1)):
        s.append(seq, n)
    for seq in (5, 9, 2):
        s.add(("block_table", seq), list(s.model.tables[seq]), f"block_table({seq})")
    s.pages()
    run_script(solution, s, tolerance)


def test_free_and_reuse(solution, tolerance):
    """freed pages return to the pool and are reused lowest first"""
    s = Script(num_pages=10, page_size=2, n_heads=1, head_dim=3, seed=5)
    for seq, n in ((0, 3), (1, 4), (2, 3), (0, 2)):
        s.append(seq, n)
    s.free(1)
    s.free_count()
    s.append(3, 5)
    for seq in (0, 2, 3):
        s.check_seq(seq)
    s.pages()
    for name in ("length", "block_table", "read", "free"):
        s.unknown(1, name)
    s.free(0)
    s.free_count()
    s.append(4, 1)
    s.check_seq(4)
    run_script(solution, s, tolerance)


def test_out_of_pages(solution, tolerance):
    """an append that does not fit raises RuntimeError and changes nothing"""
    s = Script(num_pages=4, page_size=3, n_heads=1, head_dim=2, seed=6)
    s.append(0, 5)      # pages 0, 1
    s.append(1, 2)      # page 2
    s.append(0, 5)      # needs 2 more pages, 1 free: refused
    s.check_seq(0)
    s.free_count()
    s.append(7, 7)      # a new sequence that cannot fit: refused, and it does not exist afterwards
    s.unknown(7, "length")
    s.append(1, 4)      # needs 1 more page: fits
    s.check_seq(1)
    s.free_count()
    s.pages()
    run_script(solution, s, tolerance)


def test_attend(solution, tolerance):
    """decode attention through the pages equals attention over a contiguous cache"""
    s = Script(num_pages=20, page_size=4, n_heads=3, head_dim=8, seed=7)
    for seq, n in ((0, 9), (1, 5), (0, 4), (2, 1)):
        s.append(seq, n)
    s.free(1)
    s.append(3, 11)
    for seq in (0, 2, 3):
        s.attend(seq)
    s.append(0, 3)
    s.attend(0)
    run_script(solution, s, tolerance)
