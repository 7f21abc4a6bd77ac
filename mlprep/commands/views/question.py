"""The question and answer panels: Markdown via rich, code highlighted, ``$…$`` math readable."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mlprep.bank.mathtext import readable_math
from mlprep.bank.schema import Question, cloze_mask, cloze_reveal


def markdown(text: str) -> Markdown:
    return Markdown(readable_math(text), code_theme="monokai", hyperlinks=False)


def hanging(label: str, body: str | Text, label_style: str = "bold") -> Table:
    """``label  body`` where the body's wrapped lines start under its first line, not at column 0."""
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True, style=label_style)
    grid.add_column(overflow="fold")
    grid.add_row(label, body if isinstance(body, Text) else Text(body))
    return grid


def question_heading(q: Question) -> Text:
    tags = f"  #{' #'.join(q.tags)}" if q.tags else ""
    return Text.assemble((q.topic, "cyan"), (f"  {q.difficulty_name}", "dim"), (tags, "dim"))


def render_question(console: Console, q: Question, *, reveal: bool = False) -> None:
    """Print the question (and, with ``reveal``, its answer and explanation)."""
    body = cloze_mask(q.question) if q.kind == "cloze" else q.question
    console.print(Panel(markdown(body), title=question_heading(q), title_align="left", border_style="cyan"))
    if reveal:
        render_answer(console, q)


LONG_ANSWER_CHARS = 1500  # an answer longer than this goes through the pager in a terminal quiz


def render_answer(console: Console, q: Question, *, page: bool = False) -> None:
    """Print the answer panel: the correct choice, the answer (cloze filled in), the explanation.

    With ``page``, an answer over ``LONG_ANSWER_CHARS`` is shown in the system pager (scroll, then
    quit it to rate) instead of flooding the screen."""
    if q.unanswered:
        console.print(Panel(Text("The notes give no answer to this question yet.", style="yellow"), border_style="yellow"))
        return
    parts = []
    if q.kind == "choice" and q.correct:
        parts.append(hanging("Correct:", Text(q.correct, style="bold green"), "bold green"))
    answer = cloze_reveal(q.question) if q.kind == "cloze" else q.answer
    parts.append(markdown(answer))
    if q.explanation:
        parts.append(Text("\nWhy", style="bold"))
        parts.append(markdown(q.explanation))
    for note in q.from_notes:
        parts.append(Text("\nFrom your notes", style="bold cyan"))
        parts.append(markdown(note))
    panel = Panel(Group(*parts), title="answer", title_align="left", border_style="green")
    if page and len(answer) + len(q.explanation or "") + sum(map(len, q.from_notes)) > LONG_ANSWER_CHARS:
        with console.pager():
            console.print(panel)
        console.print(f"[dim]a long answer ({len(answer):,} characters) was shown in the pager[/]")
        return
    console.print(panel)
