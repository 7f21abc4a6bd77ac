"""The quiz in the terminal: draws each card with rich and turns key presses into session actions.

Keys: Space/Enter reveal (Enter also accepts a suggested rating), 1-4 rate Again/Hard/Good/Easy
(on a choice card before the reveal, 1-9 pick an option), s skip, u undo the last action (rate,
skip, bury, suspend), b bury until tomorrow, x suspend, i the card's id and source, q / Ctrl-C /
Ctrl-D quit. In an answer box (``--mode type``) every key is text until Enter submits it.
Ratings are already stored when the user quits. When a mock's time runs out, or the queue is
empty, the session ends and its report is shown, whatever key comes next.
"""

from __future__ import annotations

from datetime import timedelta

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from mlprep.commands.views.keys import CTRL_C, CTRL_D, TIMEOUT, Keys
from mlprep.commands.views.question import hanging, markdown, render_answer, render_question
from mlprep.quiz.scheduler import RATINGS
from mlprep.quiz.session import Footer, Session

QUIT_KEYS = {"q", "Q", CTRL_C, CTRL_D}
REVEAL_KEYS = {" ", "\r", "\n"}
ENTER_KEYS = {"\r", "\n"}
HELP = "[dim]s skip · b bury · x suspend · u undo · i info · q quit[/]"
UNDONE = {"rate": "undid the last rating", "skip": "undid the skip", "bury": "undid the bury",
          "suspend": "undid the suspend"}


def _clock(delta: timedelta) -> str:
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


def footer_text(f: Footer) -> str:
    if f.mock:  # a mock draws from every card: what is left is the time, not the queue
        text = f"mock · answered {f.done}"
    else:
        text = f"left {f.left}: {f.new} new · {f.learning} learning · {f.due} due · done {f.done}"
    text += f" · elapsed {_clock(f.elapsed)}"
    if f.time_left is not None:
        text += f" · time left {_clock(f.time_left)}"
    return text


def card_info(q) -> str:
    """The card's id (what `mlprep unsuspend` takes), its bank and the note it came from."""
    parts = [f"id {escape(q.id)}", f"bank {escape(q.bank or '-')}"]
    src = q.source or {}
    if src.get("file"):
        where = str(src["file"]) + (f":{src['line']}" if src.get("line") else "")
        parts.append(f"source {escape(where)}" + (f" ({escape(str(src['heading']))})" if src.get("heading") else ""))
    return " · ".join(parts)


class TerminalQuiz:
    def __init__(self, session: Session, console: Console, keys: Keys):
        self.session = session
        self.console = console
        self.keys = keys
        self.notice = ""

    def run(self) -> str:
        """Run until the queue is empty ("done"), time is up ("time") or the user quits ("quit")."""
        try:
            while not self.session.finished:
                if not self._card():
                    return "quit"
        except KeyboardInterrupt:
            return "quit"
        return "time" if self.session.out_of_time else "done"

    def _key(self) -> str:
        """The next key; TIMEOUT when a mock's time runs out first."""
        left = self.session.footer().time_left
        return self.keys.key(timeout=None if left is None else max(left.total_seconds(), 0.01))

    # -- one card ------------------------------------------------------------------------------
    def _draw_question(self) -> None:
        s, q = self.session, self.session.current
        if self.keys.tty:
            self.console.clear()
        if self.notice:
            self.console.print(self.notice)
            self.notice = ""
        render_question(self.console, q)
        for i, choice in enumerate(s.choices, 1):  # pickable in every mode
            self.console.print(hanging(f"  {i}", choice))
        self.console.print(f"[dim]{footer_text(s.footer())}[/]")

    def _card(self) -> bool:
        """Ask one card; False when the user quits. Returns True as soon as the session is over."""
        s = self.session
        self._draw_question()
        kind = s.presentation(s.current)
        if kind == "case":
            return self._case()
        if self.session.mode == "type":
            if not self._typed_answer():
                return False
            if s.finished and not s.revealed:
                return True
        else:
            prompt = "Space/Enter show the answer"
            if s.choices:  # flash mode also lets you pick, or recall and reveal
                prompt = f"1-{len(s.choices)} choose" + ("" if kind == "choice" else f" or {prompt}")
            self.console.print(f"[bold]{prompt}[/] · {HELP}")
        while not s.revealed:
            key = self._key()
            if key in QUIT_KEYS:
                return False
            if s.out_of_time:  # a key (or none) after the time ran out: the report
                return True
            if self._common(key):
                return True
            if s.choices and key.isdigit() and 1 <= int(key) <= len(s.choices):
                s.choose(int(key) - 1)
            elif key in REVEAL_KEYS and kind != "choice":
                s.reveal()
        self._show_answer()
        while True:
            key = self._key()
            if key in QUIT_KEYS:
                return False
            if key in ("1", "2", "3", "4"):  # the answer was given in time: its rating counts
                self._rate(int(key))
                return True
            if key in ENTER_KEYS and s.answer is not None:
                self._rate(s.answer.suggested)
                return True
            if key == "t" and s.answer is not None and s.answer.verdict is not None and s.answer.verdict.points:
                number = self._key()
                if number.isdigit() and 1 <= int(number) <= len(s.answer.verdict.points):
                    s.toggle_point(int(number) - 1)
                    self._checklist()
                    self._rating_line()
                continue
            if s.out_of_time:
                return True
            if self._common(key):
                return True

    def _case(self) -> bool:
        """A system-design case: each part named, you answer it in your head (or aloud), reveal the
        model answer, rate the part; the case's rating is the mean of its parts. False on quit."""
        s, q = self.session, self.session.current
        for i, part in enumerate(q.parts, 1):
            self.console.print(hanging(f"Part {i} of {len(q.parts)}:", part.part))
            self.console.print(f"[bold]Space/Enter show the model answer[/] · {HELP}")
            while True:
                key = self._key()
                if key in QUIT_KEYS:
                    return False
                if s.out_of_time or self._common(key):
                    return True
                if key in REVEAL_KEYS:
                    break
            self.console.print(Panel(markdown(part.answer), title=part.part, title_align="left", border_style="green"))
            self.console.print("Rate this part: " + "  ".join(f"[bold]{k}[/] {v}" for k, v in RATINGS.items()))
            while True:
                key = self._key()
                if key in QUIT_KEYS:
                    return False
                if key in ("1", "2", "3", "4"):
                    overall = s.rate_part(int(key))
                    break
                if s.out_of_time:
                    return True
        if q.explanation:
            self.console.print(Panel(markdown(q.explanation), title="pitfalls and follow-ups", title_align="left"))
        self.notice = f"[dim]case rated {RATINGS[overall]} (parts: {', '.join(RATINGS[r] for r in s.answer.part_ratings)})[/]"
        self._rate(overall)
        return True

    def _typed_answer(self) -> bool:
        """Read a typed answer (a choice card: an option's number or its text); False on quit."""
        s = self.session
        if s.choices:
            self.console.print(f"Type an option's number (1-{len(s.choices)}) or your answer and press Enter:")
        else:
            self.console.print("Type your answer and press Enter (empty: just show the answer):")
        left = s.footer().time_left
        text = self.keys.line(timeout=None if left is None else max(left.total_seconds(), 0.01))
        if text is TIMEOUT:
            return True
        if text is None:
            return False
        typed = text.strip()
        if s.choices and typed.isdigit() and 1 <= int(typed) <= len(s.choices):
            s.choose(int(typed) - 1)
        elif s.choices and typed.lower() in [c.lower() for c in s.choices]:
            s.choose([c.lower() for c in s.choices].index(typed.lower()))
        elif typed:
            s.answer_typed(typed)
        else:
            s.reveal()
        return True

    def _show_answer(self) -> None:
        s, q = self.session, self.session.current
        answer = s.answer
        if answer is not None and answer.picked is not None:
            if answer.correct:
                self.console.print("[bold green]right[/]")
            else:
                self.console.print(hanging("wrong, you chose", answer.picked, "bold red"))
        elif answer is not None and answer.verdict is not None and answer.verdict.judge != "words":
            self._checklist()
        elif answer is not None:
            self.console.print(f"Your answer scores [bold]{answer.score}[/]/100")
        render_answer(self.console, q, page=self.keys.tty)
        self._rating_line()

    def _checklist(self) -> None:
        """The rubric's points as ✓/✗, any misconception asserted with its correction."""
        s, q = self.session, self.session.current
        v = s.answer.verdict
        made = sum(v.points)
        self.console.print(f"Your answer makes [bold]{made} of {len(v.points)}[/] points"
                           + (f" [dim](judge: {escape(v.judge)})[/]" if v.judge != "rubric" else "") + ":")
        for i, (claim, ok) in enumerate(zip(q.rubric.points, v.points, strict=True), 1):
            mark, style = ("✓", "green") if ok else ("✗", "red")
            self.console.print(hanging(f"  [{style}]{mark}[/] {i}", claim.claim))
        for claim, said in zip(q.rubric.misconceptions, v.misconceptions, strict=True):
            if said:
                self.console.print(hanging("  [bold red]⚠ misconception:[/]", f"{claim.claim}. {claim.correction}"))
        if s.answer.judge_note:
            self.console.print(f"[yellow]{escape(s.answer.judge_note)}[/]")

    def _rating_line(self) -> None:
        answer = self.session.answer
        ratings = "  ".join(f"[bold]{k}[/] {v}" for k, v in RATINGS.items())
        suggestion = ""
        if answer is not None:
            suggestion = f" · Enter accepts [bold]{RATINGS[answer.suggested]}[/]"
        if answer is not None and answer.verdict is not None and answer.verdict.points and answer.verdict.judge != "words":
            suggestion += " · t then a number toggles a point"
        self.console.print(f"{ratings}{suggestion} · {HELP}")

    def _rate(self, rating: int) -> None:
        q = self.session.current
        result = self.session.rate(rating)
        if result.became_leech:
            self.notice = (
                f"[yellow]{escape(q.id)} has lapsed {self.session.settings.leech_lapses} times: "
                "tagged leech and suspended (`mlprep unsuspend` lists it); rewrite it or study it elsewhere.[/]"
            )

    def _common(self, key: str) -> bool:
        """Skip, bury, suspend or undo; True when the key did one of them (the screen is redrawn)."""
        s = self.session
        if key == "s":
            s.skip()
        elif key == "b":
            q = s.current
            s.bury()
            self.notice = f"[dim]buried {escape(q.id)} until tomorrow (u undoes it)[/]"
        elif key == "x":
            q = s.current
            s.suspend()
            self.notice = f"[dim]suspended {escape(q.id)} (u undoes it; `mlprep unsuspend {escape(q.id)}` later)[/]"
        elif key == "u":
            undone = s.undo()
            self.notice = f"[dim]{UNDONE[undone.kind]}[/]" if undone else "[dim]nothing to undo[/]"
        elif key == "i":
            self.console.print(card_info(s.current))
            return False
        else:
            return False
        return True
