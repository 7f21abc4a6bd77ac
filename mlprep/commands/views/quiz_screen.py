"""The quiz in the terminal: draws each card with rich and turns key presses into session actions.

Keys: Space/Enter reveal (Enter also accepts a suggested rating), 1-4 rate Again/Hard/Good/Easy
(on a choice card before the reveal, 1-9 pick an option), s skip, u undo the last rating,
b bury until tomorrow, x suspend, q / Ctrl-C / Ctrl-D quit. Ratings are already stored when
the user quits.
"""

from __future__ import annotations

from datetime import timedelta

from rich.console import Console
from rich.markup import escape

from mlprep.commands.views.keys import CTRL_C, CTRL_D, Keys
from mlprep.commands.views.question import render_answer, render_question
from mlprep.quiz.scheduler import RATINGS
from mlprep.quiz.session import Footer, Session

QUIT_KEYS = {"q", "Q", CTRL_C, CTRL_D}
REVEAL_KEYS = {" ", "\r", "\n"}
ENTER_KEYS = {"\r", "\n"}
HELP = "[dim]s skip · b bury · x suspend · u undo · q quit[/]"


def _clock(delta: timedelta) -> str:
    minutes, seconds = divmod(int(delta.total_seconds()), 60)
    return f"{minutes}:{seconds:02d}"


def footer_text(f: Footer) -> str:
    text = f"card {f.index} of {f.total} · due left {f.due_left} · elapsed {_clock(f.elapsed)}"
    if f.time_left is not None:
        text += f" · time left {_clock(f.time_left)}"
    return text


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
            self.console.print(f"  [bold]{i}[/]  {escape(choice)}")
        self.console.print(f"[dim]{footer_text(s.footer())}[/]")

    def _card(self) -> bool:
        """Ask one card; False when the user quits."""
        s = self.session
        self._draw_question()
        kind = s.presentation(s.current)
        if kind == "type":
            self.console.print("Type your answer and press Enter (empty: just show the answer):")
            text = self.keys.line()
            if text is None:
                return False
            if text.strip():
                s.answer_typed(text)
            else:
                s.reveal()
        else:
            prompt = "Space/Enter show the answer"
            if s.choices:  # flash mode also lets you pick, or recall and reveal
                prompt = f"1-{len(s.choices)} choose" + ("" if kind == "choice" else f" or {prompt}")
            self.console.print(f"[bold]{prompt}[/] · {HELP}")
        while not s.revealed:
            key = self.keys.key()
            if key in QUIT_KEYS:
                return False
            if self._common(key):
                return True
            if s.choices and key.isdigit() and 1 <= int(key) <= len(s.choices):
                s.choose(int(key) - 1)
            elif key in REVEAL_KEYS and kind != "choice":
                s.reveal()
        self._show_answer()
        while True:
            key = self.keys.key()
            if key in QUIT_KEYS:
                return False
            if key in ("1", "2", "3", "4"):
                self._rate(int(key))
                return True
            if key in ENTER_KEYS and s.answer is not None:
                self._rate(s.answer.suggested)
                return True
            if self._common(key):
                return True

    def _show_answer(self) -> None:
        s, q = self.session, self.session.current
        answer = s.answer
        if answer is not None and answer.picked is not None:
            verdict = "[bold green]right[/]" if answer.correct else f"[bold red]wrong[/] (you chose {escape(answer.picked)})"
            self.console.print(verdict)
        elif answer is not None:
            self.console.print(f"Your answer scores [bold]{answer.score}[/]/100")
        render_answer(self.console, q)
        ratings = "  ".join(f"[bold]{k}[/] {v}" for k, v in RATINGS.items())
        suggestion = ""
        if answer is not None:
            suggestion = f" · Enter accepts [bold]{RATINGS[answer.suggested]}[/]"
        self.console.print(f"{ratings}{suggestion} · {HELP}")

    def _rate(self, rating: int) -> None:
        q = self.session.current
        result = self.session.rate(rating)
        if result.became_leech:
            self.notice = (
                f"[yellow]{escape(q.id)} has lapsed {self.session.settings.leech_lapses} times: "
                "tagged leech and suspended; rewrite it or study it elsewhere.[/]"
            )

    def _common(self, key: str) -> bool:
        """Skip, bury, suspend or undo; True when the key did one of them."""
        s = self.session
        if key == "s":
            s.skip()
        elif key == "b":
            s.bury()
            self.notice = "[dim]buried until tomorrow[/]"
        elif key == "x":
            s.suspend()
            self.notice = "[dim]suspended[/]"
        elif key == "u":
            undone = s.undo()
            self.notice = "[dim]undid the last rating[/]" if undone else "[dim]nothing to undo[/]"
        else:
            return False
        return True
