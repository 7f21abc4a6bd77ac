"""`mlprep stats`: reviews, retention, streak, due forecast, mastery per topic, a review calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from mlprep.commands.common import BankOption, JsonOption, OnlyBankOption, load_banks
from mlprep.commands.views.console import console, print_json

_SHADES = [("·", "grey37"), ("▪", "green4"), ("▪", "green3"), ("■", "green1"), ("■", "bold bright_green")]


def heatmap(calendar: dict[str, int], today: date, weeks: int) -> Text:
    """Reviews per day as a grid: a row per weekday, a column per week, darkest = busiest."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    peak = max(calendar.values(), default=0)
    text = Text()
    for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        text.append(f"{name:<4}", style="dim")
        for week in range(weeks):
            day = start + timedelta(weeks=week, days=weekday)
            if day > today:
                text.append("  ")
                continue
            n = calendar.get(day.isoformat(), 0)
            level = 0 if n == 0 else 1 + min(3, int(4 * (n - 1) / max(peak, 1)))
            char, style = _SHADES[level]
            text.append(char + " ", style=style)
        text.append("\n")
    text.append("    less ", style="dim")
    for char, style in _SHADES:
        text.append(char, style=style)
    text.append(" more", style="dim")
    return text


def _percent(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def bar(share: float, width: int = 24) -> str:
    """A horizontal bar of ``share`` (0..1) in eighths of a character."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + ("" if part == 0 else " ▏▎▍▌▋▊▉"[part])).ljust(width)


def readiness_table(r: dict) -> Table:
    when = f"on {r['date']} ({r['days_left']} days left)" if r["days_left"] else "now (no --interview-date set)"
    table = Table(title=f"Readiness: predicted recall {when}; unseen cards count as not known",
                  header_style="bold")
    for col in ("topic", "recall", "", "seen"):
        table.add_column(col, justify="left" if col in ("topic", "") else "right")
    if r["days_left"]:
        table.add_column(f"reviews/day to {r['target_retention']:.0%}", justify="right")
    rows = [*r["topics"].items(), ("all topics", r["overall"])]
    for name, t in rows:
        style = "green" if t["recall"] >= r["target_retention"] else "yellow" if t["recall"] >= 0.5 else "red"
        cells = [escape(name), _percent(t["recall"]), f"[{style}]{bar(t['recall'])}[/]", _percent(t["seen_share"])]
        if r["days_left"]:
            cells.append(f"{t['reviews_per_day']:.1f}")
        table.add_row(*cells, end_section=name == rows[-2][0] if len(rows) > 1 else False)
    return table


def stats(bank: BankOption = None, only_bank: OnlyBankOption = None, as_json: JsonOption = False,
          weeks: Annotated[int, typer.Option("--weeks", min=1, max=52, help="Weeks shown in the calendar.")] = 16,
          plot: Annotated[Path | None, typer.Option("--plot", dir_okay=False, help="Also draw the due forecast and the predicted recall curve to this PNG (needs matplotlib: pip install 'mlprep[plot]').")] = None,
          ) -> None:
    """Reviews, retention (30 days), streak, due forecast, mastery per topic, hardest cards, drills,
    and readiness: predicted recall per topic on the interview date."""
    from mlprep.quiz.readiness import recall_curve
    from mlprep.quiz.settings import load_settings
    from mlprep.quiz.stats import compute
    from mlprep.store import open_store

    questions = load_banks(bank, only_bank)
    now = datetime.now().astimezone()
    with open_store() as store:
        settings = load_settings(store)
        data = compute(store, now, questions, weeks=weeks, settings=settings)
        curve = recall_curve(questions, store.cards(), settings, now) if plot else None
    if plot is not None:
        from mlprep.commands.views.stats_plot import save_stats_plot

        save_stats_plot(plot, data["due_forecast"], curve, data["readiness"])
    if as_json:
        print_json(data)
        return
    console.print(
        f"[bold]{data['reviews_total']}[/] reviews ({data['reviews_today']} today) · "
        f"[bold]{data['cards_seen']}[/] cards seen · [bold]{data['due_today']}[/] due today · "
        f"retention (30 days) [bold]{_percent(data['retention_30d'])}[/] · streak [bold]{data['streak_days']}[/] day(s)"
    )
    if data["suspended"] or data["leeches"]:
        console.print(f"{data['suspended']} suspended, {len(data['leeches'])} leech(es)")
    forecast = Table(title="Due in the next 7 days", header_style="bold")
    for day in data["due_forecast"]:
        forecast.add_column(date.fromisoformat(day).strftime("%a %d"), justify="right")
    forecast.add_row(*(str(n) for n in data["due_forecast"].values()))
    console.print(forecast)
    if data["topics"]:
        topics = Table(title="Mastery per topic (stability ≥ 21 days)", header_style="bold")
        for col in ("topic", "cards", "seen", "mastered", "mastery"):
            topics.add_column(col, justify="left" if col == "topic" else "right")
        for name, t in data["topics"].items():
            topics.add_row(escape(name), str(t["cards"]), str(t["seen"]), str(t["mastered"]), _percent(t["mastery"]))
        console.print(topics)
    if data["hardest"]:
        hardest = Table(title="Hardest cards", header_style="bold")
        for col in ("id", "topic", "again", "difficulty", "question"):
            hardest.add_column(col, overflow="fold")
        for h in data["hardest"]:
            text = (h["question"] or "").splitlines()[0][:70] if h["question"] else ""
            hardest.add_row(escape(h["id"]) + (" (leech)" if h["leech"] else ""), escape(h["topic"]),
                            str(h["again"]), str(h["difficulty"]), escape(text))
        console.print(hardest)
    if data["drills"]:
        sched = data["drill_schedule"]
        drills = Table(title=f"Drills: {len(sched['due'])} due, retention (90 days) {_percent(sched['retention_90d'])}",
                       header_style="bold")
        for col in ("drill", "attempts", "best", "solved", "last", "next review"):
            drills.add_column(col)
        for name, d in sorted(data["drills"].items()):
            nxt = sched["next"].get(name)
            when = "due" if name in sched["due"] else (nxt[:10] if nxt else "-")
            drills.add_row(escape(name), str(d["attempts"]), f"{d['best_passed']}/{d['total']}",
                           "yes" if d["solved"] else "no", d["last_at"][:16].replace("T", " "), when)
        console.print(drills)
    if data["mocks"]:
        mocks = Table(title="Mock interviews", header_style="bold")
        for col in ("when", "minutes", "answered", "good or easy", "drill", "review next"):
            mocks.add_column(col, overflow="fold")
        for m in data["mocks"]:
            rated = sum(t["rated"] for t in m["topics"].values())
            good = sum(t.get("good", 0) for t in m["topics"].values())
            drill = m["drill"] or {}
            result = f"{drill.get('name', '-')} {drill.get('passed', 0)}/{drill.get('total', 0)}" if drill else "-"
            mocks.add_row(m["at"][:16].replace("T", " "), str(m["minutes"]), str(m["answered"]),
                          _percent(good / rated) if rated else "-", escape(result),
                          escape("; ".join(m["review_next"][:2])))
        console.print(mocks)
    if data["readiness"]["topics"]:
        console.print(readiness_table(data["readiness"]))
    console.print(Text(f"Reviews, last {weeks} weeks", style="bold"))
    console.print(heatmap(data["calendar"], now.date(), weeks))
    if plot is not None:
        console.print(f"Forecast and recall curve written to {escape(str(plot))}")
