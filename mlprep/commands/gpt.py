"""`mlprep train-gpt`, `mlprep generate` and `mlprep bench-gpt`: the CLI over ``solutions/nanogpt``.

torch and the engine are imported inside the command functions, so `mlprep --help` stays light.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any

import typer

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, err_console, print_json
from mlprep.errors import MlprepError
from mlprep.paths import data_dir, runs_dir
from mlprep.solutions import ensure_importable

DeviceOption = Annotated[str, typer.Option("--device", help="auto, cpu, cuda or mps.")]
ThreadsOption = Annotated[int | None, typer.Option("--threads", min=1, help="CPU threads for torch (default: OMP_NUM_THREADS if set, else 1 or the physical cores, whichever a quick probe finds faster).")]


@contextlib.contextmanager
def _engine_errors():
    """Turn the engine's user-fixable errors into the CLI's one-line errors."""
    ensure_importable()
    from nanogpt.errors import GPTError

    try:
        yield
    except GPTError as exc:
        raise MlprepError(exc.message, path=exc.path) from None


def _default_run(name: str) -> Path:
    return runs_dir() / name


def _set_threads(threads: int | None) -> str:
    """Set torch's CPU threads (see ``nanogpt.device.choose_threads``); a line saying how many and why."""
    from nanogpt.device import choose_threads

    n, why = choose_threads(threads)
    return f"CPU threads: {n} ({why}; --threads N to choose)"


def train_gpt(
    config: Annotated[str, typer.Option("--config", help="Preset: lite (CPU, minutes) or heavy (GPU).")] = "lite",
    device: DeviceOption = "auto",
    data: Annotated[Path | None, typer.Option("--data", help="UTF-8 text to train on (default: Tiny Shakespeare, downloaded once).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Run folder (default: <MLPREP_HOME>/runs/<config>).")] = None,
    resume: Annotated[Path | None, typer.Option("--resume", help="Continue the run in this folder from its latest checkpoint.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Start afresh in a run folder that already holds checkpoints.")] = False,
    max_iters: Annotated[int | None, typer.Option("--max-iters", min=0, help="Optimizer steps (the cosine decay ends there).")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Sequences per step, across all processes.")] = None,
    grad_accum: Annotated[int | None, typer.Option("--grad-accum", min=1, help="Micro-batches per optimizer step.")] = None,
    block_size: Annotated[int | None, typer.Option("--block-size", min=2, help="Context window in characters.")] = None,
    n_layer: Annotated[int | None, typer.Option("--n-layer", min=1, help="Transformer blocks.")] = None,
    n_head: Annotated[int | None, typer.Option("--n-head", min=1, help="Attention heads.")] = None,
    n_embd: Annotated[int | None, typer.Option("--n-embd", min=2, help="Model width.")] = None,
    dropout: Annotated[float | None, typer.Option("--dropout", min=0.0, max=1.0, help="Dropout rate.")] = None,
    pos: Annotated[str | None, typer.Option("--pos", help="Positions: rope or learned (absolute).")] = None,
    learning_rate: Annotated[float | None, typer.Option("--learning-rate", "--lr", min=0.0, help="Peak learning rate.")] = None,
    warmup_iters: Annotated[int | None, typer.Option("--warmup-iters", min=0, help="Linear warm-up steps.")] = None,
    eval_interval: Annotated[int | None, typer.Option("--eval-interval", min=1, help="Steps between evaluations and checkpoints.")] = None,
    eval_iters: Annotated[int | None, typer.Option("--eval-iters", min=1, help="Validation batches per evaluation.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for weights, batches and dropout.")] = None,
    amp: Annotated[bool, typer.Option("--amp/--no-amp", help="bf16 autocast on CUDA.")] = True,
    compile: Annotated[bool, typer.Option("--compile/--no-compile", help="torch.compile the model on CUDA.")] = True,
    threads: ThreadsOption = None,
) -> None:
    """Train the reference character-level GPT (one process, or DDP under torchrun)."""
    with _engine_errors():
        from nanogpt import config as gptconfig
        from nanogpt.data import fetch_shakespeare
        from nanogpt.train import train

        threads_note = _set_threads(threads)
        overrides: dict[str, Any] = {
            "max_iters": max_iters, "batch_size": batch_size, "grad_accum": grad_accum,
            "block_size": block_size, "n_layer": n_layer, "n_head": n_head, "n_embd": n_embd,
            "dropout": dropout, "pos": pos, "learning_rate": learning_rate, "warmup_iters": warmup_iters,
            "eval_interval": eval_interval, "eval_iters": eval_iters, "seed": seed,
        }
        if resume is not None:
            if data is not None or out is not None:
                raise MlprepError("--resume continues a run in its own folder with its own data; drop --data/--out")
            from nanogpt import checkpoint

            changed = sorted(k for k, v in overrides.items() if v is not None and k != "max_iters")
            if changed:
                raise MlprepError(f"a resumed run keeps its settings; only --max-iters may change (got {', '.join(changed)})")
            cfg = gptconfig.from_dict(checkpoint.load(resume, prefer=checkpoint.LATEST)["config"])
            run_dir = resume
        else:
            if config not in gptconfig.PRESETS:
                raise MlprepError(f"unknown config {config!r}; use one of {', '.join(gptconfig.PRESETS)}")
            cfg = gptconfig.PRESETS[config]()
            run_dir = out or _default_run(config)
            if not overwrite and any(run_dir.glob("ckpt_*.pt")):
                raise MlprepError("this run folder already holds checkpoints; pass --resume to continue it, "
                                  "--overwrite to start afresh, or another --out", path=run_dir)
            if data is None:
                data = fetch_shakespeare(data_dir())
        try:
            cfg = gptconfig.with_overrides(cfg, {**overrides, "amp": amp, "compile": compile})
        except (ValueError, AssertionError) as exc:
            raise MlprepError(f"bad model or training settings: {exc}") from None
        run_dir.mkdir(parents=True, exist_ok=True)
        summary = _train_with_progress(train, cfg, run_dir, data=data, resume=resume is not None, device=device,
                                       notice=threads_note if device in ("auto", "cpu") and not threads else None)
    if summary is None:  # a DDP rank other than 0
        return
    _print_summary(summary)
    if summary["interrupted"]:
        err_console.print(f"stopped at iteration {summary['iters']}; continue with: mlprep train-gpt --resume {run_dir}")
        raise typer.Exit(1)


def _train_with_progress(train, cfg, run_dir: Path, notice: str | None = None, **kwargs):
    """Run ``train`` with a rich progress bar on stderr, started at the first step (not before errors),
    with ``notice`` printed above it."""
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("[bold]train-gpt[/]"), BarColumn(), TextColumn("iter {task.completed}/{task.total}"),
        TextColumn("loss {task.fields[loss]}"), TextColumn("{task.fields[rate]} tok/s"),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console,
    )
    task = None

    def show(p) -> None:
        nonlocal task
        if task is None:
            if notice:
                err_console.print(f"[dim]{notice}[/]")
            bar.start()
            task = bar.add_task("train", total=p.max_iters, completed=p.iter, loss="-", rate="-")
        loss = f"{p.loss:.4f}" if p.loss is not None else "-"
        rate = f"{p.tokens_per_s:,.0f}" if p.tokens_per_s else "-"
        bar.update(task, completed=p.iter, loss=loss, rate=rate)
        if p.eval:
            e = p.eval
            bar.console.print(f"iter {e['iter']}: val loss {e['val_loss']:.4f}, top-5 acc {e['top5_acc']:.3f}")

    try:
        return train(cfg, run_dir, on_progress=show, **kwargs).summary
    finally:
        bar.stop()


def _print_summary(s: dict[str, Any]) -> None:
    best = "-" if s["best_val_loss"] is None else f"{s['best_val_loss']:.4f}"
    top5 = "-" if s["best_top5_acc"] is None else f"{s['best_top5_acc']:.3f}"
    rate = "-" if s["tokens_per_s"] is None else f"{s['tokens_per_s']:,.0f}"
    console.print(
        f"best val loss {best}, top-5 acc {top5}, {rate} tokens/s, {s['wall_s']:.0f} s on {s['device']}; "
        f"run folder {s['run_dir']}"
    )


def unescape(text: str) -> str:
    """``\\n`` and ``\\t`` typed on a command line become a newline and a tab."""
    return text.replace("\\n", "\n").replace("\\t", "\t")


def _sampling(temperature: float, top_k: int | None, top_p: float | None, repetition_penalty: float):
    from nanogpt.sampling import Sampling

    try:
        return Sampling(temperature, top_k, top_p, repetition_penalty)
    except ValueError as exc:
        raise MlprepError(str(exc)) from None


def generate(
    checkpoint: Annotated[Path | None, typer.Option("--checkpoint", help="A run folder or .pt file (default: <MLPREP_HOME>/runs/lite).")] = None,
    prompt: Annotated[list[str] | None, typer.Option("--prompt", help="Text to continue (repeat for a batch; default: a newline).")] = None,
    length: Annotated[int, typer.Option("--length", min=1, help="New characters per prompt.")] = 500,
    temperature: Annotated[float, typer.Option("--temperature", min=0.0, help="0 = greedy.")] = 0.8,
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, help="Sample among the k most likely characters.")] = None,
    top_p: Annotated[float | None, typer.Option("--top-p", help="Nucleus: the smallest set reaching this probability.")] = None,
    repetition_penalty: Annotated[float, typer.Option("--repetition-penalty", help="> 1 discourages characters already present.")] = 1.0,
    stop: Annotated[str | None, typer.Option("--stop", help="Stop a prompt's text at this string (not printed; \\n is a newline).")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for reproducible sampling.")] = None,
    kv_cache: Annotated[bool, typer.Option("--kv-cache/--no-kv-cache", help="Use the KV cache (default) or recompute every step.")] = True,
    compile_step: Annotated[bool, typer.Option("--compile", help="torch.compile the decode step (a CUDA graph on CUDA); costs seconds up front.")] = False,
    draft: Annotated[Path | None, typer.Option("--draft", help="Speculative decoding: a small checkpoint trained on the same text proposes tokens, the model checks them (same output distribution).")] = None,
    draft_tokens: Annotated[int, typer.Option("--draft-tokens", min=1, max=16, help="Tokens the draft proposes per round (with --draft).")] = 4,
    device: DeviceOption = "auto",
    threads: ThreadsOption = None,
    json_out: JsonOption = False,
) -> None:
    """Sample text from a trained GPT checkpoint, streaming it as it is produced."""
    with _engine_errors():
        from nanogpt import checkpoint as ckpt_io
        from nanogpt.device import pick_device
        from nanogpt.engine import Engine
        from nanogpt.textgen import generate_text

        _set_threads(threads)
        if compile_step and not kv_cache:
            raise MlprepError("--compile needs the KV cache; drop --no-kv-cache")
        if draft is not None and (compile_step or not kv_cache or (prompt and len(prompt) > 1)):
            raise MlprepError("--draft works on one prompt with the KV cache, without --compile")
        sampling = _sampling(temperature, top_k, top_p, repetition_penalty)
        stop = unescape(stop) if stop else None
        path = checkpoint or _default_run("lite")
        if checkpoint is None and not path.exists():
            raise MlprepError("no trained model yet; run `mlprep train-gpt` first or pass --checkpoint", path=path)
        model, tok, _ = ckpt_io.restore_model(ckpt_io.load(path))
        model.to(pick_device(device))
        speculative = None
        if draft is not None:
            from nanogpt.speculative import SpeculativeEngine

            draft_model, draft_tok, _ = ckpt_io.restore_model(ckpt_io.load(draft))
            if draft_tok.chars != tok.chars:
                raise MlprepError("the draft was trained on other characters than the model; train both on the same text",
                                  path=draft)
            speculative = SpeculativeEngine(model, draft_model.to(model.wte.weight.device), k=draft_tokens)
        texts = prompt or ["\n" if "\n" in tok.stoi else tok.chars[0]]
        if compile_step:
            err_console.print("[dim]compiling the decode step on its first use (seconds, once)[/]")
        stream = len(texts) == 1 and not json_out
        if stream:
            console.print(texts[0], end="", markup=False, highlight=False)

        def show(piece: str) -> None:
            console.out(piece, end="", highlight=False)
            console.file.flush()

        try:
            if speculative is not None:
                from nanogpt.textgen import speculative_text

                result = speculative_text(speculative, tok, texts[0], length, sampling, stop=stop, seed=seed,
                                          on_text=show if stream else None)
            else:
                result = generate_text(Engine(model, use_cache=kv_cache, compile=compile_step), tok, texts, length,
                                       sampling, stop=stop, seed=seed, on_text=show if stream else None)
        except ValueError as exc:
            raise MlprepError(f"prompt: {exc}") from None
    if json_out:
        print_json({"checkpoint": str(path), "prompts": texts, "completions": result.completions,
                    "ms_per_token": result.ms_per_token, "kv_cache": kv_cache, "compiled": compile_step,
                    "compile_s": result.compile_s, "seed": seed,
                    "draft": None if draft is None else {"checkpoint": str(draft), "tokens": draft_tokens,
                                                         "acceptance": result.acceptance}})
        return
    if stream:
        console.print()
    else:
        for text, completion in zip(texts, result.completions, strict=True):
            console.rule()
            console.print(text + completion, markup=False, highlight=False)
    how = "with" if kv_cache else "without"
    compiled = f", compiled in {result.compile_s:.1f} s" if compile_step else ""
    if draft is not None:
        compiled = f", speculative: {draft_tokens} draft tokens a round, {result.acceptance:.0%} accepted"
    err_console.print(f"[dim]{result.ms_per_token:.2f} ms/token ({how} KV cache{compiled})[/]")


def bench_gpt(
    tokens: Annotated[int, typer.Option("--tokens", min=1, help="New tokens to time per engine.")] = 1000,
    shape: Annotated[str, typer.Option("--shape", help="heavy (6L/6H/384, ctx 256) or lite.")] = "heavy",
    device: DeviceOption = "cpu",
    threads: ThreadsOption = None,
    peer: Annotated[bool, typer.Option("--peer/--no-peer", help="Also time Hugging Face GPT2LMHeadModel if transformers is installed.")] = True,
    compile_step: Annotated[bool, typer.Option("--compile", help="Also time the torch.compile decode step.")] = False,
    draft: Annotated[Path | None, typer.Option("--draft", help="Instead: time speculative decoding with this draft checkpoint against plain cached decoding of --checkpoint.")] = None,
    checkpoint: Annotated[Path | None, typer.Option("--checkpoint", help="With --draft: the target model (a run folder or .pt file).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Time ms/token with and without the KV cache, and against Hugging Face transformers."""
    if draft is not None:
        _bench_speculative(draft, checkpoint, tokens, device, threads, json_out)
        return
    with _engine_errors():
        from nanogpt import config as gptconfig
        from nanogpt.device import pick_device
        from nanogpt.speed import run_benchmark

        if shape not in gptconfig.PRESETS:
            raise MlprepError(f"unknown shape {shape!r}; use one of {', '.join(gptconfig.PRESETS)}")
        _set_threads(threads)
        report = run_benchmark(gptconfig.PRESETS[shape]().model, tokens, pick_device(device), with_peer=peer,
                               compile=compile_step)
    if json_out:
        print_json(report)
        return
    _print_bench(report)


def _bench_speculative(draft: Path, checkpoint: Path | None, tokens: int, device: str, threads: int,
                       json_out: bool) -> None:
    if checkpoint is None:
        raise MlprepError("--draft needs --checkpoint: the target model the draft proposes for")
    with _engine_errors():
        from nanogpt import checkpoint as ckpt_io
        from nanogpt.device import pick_device
        from nanogpt.speed import speculative_benchmark
        from rich.table import Table

        _set_threads(threads)
        target, tok, _ = ckpt_io.restore_model(ckpt_io.load(checkpoint))
        small, draft_tok, _ = ckpt_io.restore_model(ckpt_io.load(draft))
        if draft_tok.chars != tok.chars:
            raise MlprepError("the draft was trained on other characters than the target; train both on the same text",
                              path=draft)
        where = pick_device(device)
        r = speculative_benchmark(target.to(where), small.to(where), tokens)
    if json_out:
        print_json(r)
        return
    table = Table(title=f"{r['tokens']} new tokens, target {r['target']}, draft {r['draft']}, {r['device']}, "
                        f"{r['threads']} threads, best of {r['repeats']}")
    for name in ("decoding", "draft tokens", "accepted", "tokens/s", "ms/token", "vs plain"):
        table.add_column(name, justify="left" if name == "decoding" else "right")
    plain = r["plain"]["ms_per_token"]
    table.add_row("plain cached", "-", "-", f"{1000 / plain:.0f}", f"{plain:.2f}", "1.00x")
    for row in r["speculative"]:
        table.add_row("speculative", str(row["draft_tokens"]), f"{row['acceptance']:.0%}",
                      f"{1000 / row['ms_per_token']:.0f}", f"{row['ms_per_token']:.2f}", f"{row['speedup']:.2f}x")
    console.print(table)


def _print_bench(r: dict[str, Any]) -> None:
    from rich.table import Table

    ms, cpu = r["ms_per_token"], r["cpu_ms_per_token"]
    table = Table(title=f"{r['tokens']} new tokens, shape {r['shape']}, {r['device']}, {r['threads']} threads, "
                        f"best of {r['repeats']}")
    for name in ("engine", "ms/token", "CPU ms/token", "ours cached is"):
        table.add_column(name, justify="left" if name == "engine" else "right")
    table.add_row(f"ours, KV cache ({r['kernels']})", f"{ms['cached']:.2f}", f"{cpu['cached']:.2f}", "1.00x")
    if ms["compiled"] is not None:
        table.add_row(f"ours, compiled ({r['compile_s']:.1f} s once)", f"{ms['compiled']:.2f}",
                      f"{cpu['compiled']:.2f}", _relative(ms["cached"], ms["compiled"]))
    table.add_row(f"ours, crop-and-recompute (first {r['uncached_tokens']} tokens)", f"{ms['uncached']:.2f}",
                  f"{cpu['uncached']:.2f}",
                  f"{r['speedup_cache']:.2f}x faster")
    if ms["hf_cached"] is None:
        table.add_row("transformers GPT2 (use_cache)", "not installed", "-", "-")
    else:
        table.add_row("transformers GPT2 (use_cache)", f"{ms['hf_cached']:.2f}", f"{cpu['hf_cached']:.2f}",
                      f"{r['speedup_vs_hf']:.2f}x faster")
    table.add_row("the notes, no cache (their hardware)", f"{r['notes_uncached_ms']:.2f}", "-", "-")
    console.print(table)
    o = r["step_overhead"]
    console.print(f"per-step overhead at the lite shape: cached generation step {o['cached_step_ms']:.3f} ms, "
                  f"bare 1-token forward {o['bare_forward_ms']:.3f} ms, ratio {o['ratio']:.2f} "
                  f"(CPU time {o['cpu_ratio']:.2f})")


def _relative(ours: float, other: float) -> str:
    """How our cached engine compares with another row, as the table's last column says it."""
    return f"{other / ours:.2f}x faster" if other >= ours else f"{ours / other:.2f}x slower"
