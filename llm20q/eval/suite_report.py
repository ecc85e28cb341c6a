"""The partner suite's report: the rounds a game took to decide the partner's kind (from the
guesser's P(protocol) trace), per (keyword list, partner) summaries of the games, the markdown
table (before / after) and the plot of games solved by round (:mod:`llm20q.eval.suite` plays).

Shortcut: the median decision round is the upper median.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.game import MAX_ROUNDS
from llm20q.eval.report import solved_by_round

# P(protocol) at or beyond which (or 1 - which) the partner's kind counts as confidently known
# (the planner's mode itself flips at 0.5).
CONFIDENT = 0.1


def decision_round(trace: Sequence[float], decided: float = 0.5) -> int | None:
    """The round (1-based) from which P(protocol) stayed on one side (<= ``decided`` or >=
    1 - ``decided``) to the end of ``trace``; None when it ends in between. With the default
    0.5: the round whose answer settled the mode the planner played to the end."""
    if not trace:
        return None
    final_high = trace[-1] >= 1.0 - decided
    if not final_high and trace[-1] > decided:
        return None
    first = len(trace)
    for i in range(len(trace) - 1, -1, -1):
        if (trace[i] >= 1.0 - decided) if final_high else (trace[i] <= decided):
            first = i + 1
        else:
            break
    return first


def partner_decision(policy: object) -> dict[str, Any]:
    """``decision_round``, ``confident_round`` and ``final_p_protocol`` of a guesser policy."""
    trace = getattr(policy, "partner_trace", None)
    if trace is None:  # no partner detection: the mode is fixed by the handshake's answer
        return {"decision_round": 1, "confident_round": 1, "final_p_protocol": None}
    return {
        "decision_round": decision_round(trace),
        "confident_round": decision_round(trace, CONFIDENT),
        "final_p_protocol": round(float(trace[-1]), 4) if trace else None,
    }


def summarise(games: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Solved, mean rounds of the solved games, rounds to decide, cumulative success."""
    solved = [g["rounds"] for g in games if g["solved"]]
    decided = [g["decision_round"] for g in games if g["decision_round"] is not None]
    confident = [g["confident_round"] for g in games if g["confident_round"] is not None]
    final = [g["final_p_protocol"] for g in games if g["final_p_protocol"] is not None]
    n = max(1, len(games))
    return {
        "games": len(games),
        "solved": len(solved),
        "solved_rate": round(len(solved) / n, 4),
        "mean_rounds_solved": round(sum(solved) / len(solved), 2) if solved else None,
        "mean_decision_round": round(sum(decided) / len(decided), 2) if decided else None,
        "median_decision_round": sorted(decided)[len(decided) // 2] if decided else None,
        "mean_confident_round": round(sum(confident) / len(confident), 2) if confident else None,
        "never_confident": len(games) - len(confident),
        "ended_in_bayes_mode": sum(p < 0.5 for p in final) if final else None,
        "mean_final_p_protocol": round(sum(final) / len(final), 3) if final else None,
        "handed_over": sum(bool(g["handed_over"]) for g in games),
        "mean_alphabetical_questions": round(
            sum(g["alphabetical_questions"] for g in games) / n, 2
        ),
        "cumulative_success": solved_by_round(solved, len(games)),
    }


def suite_table(summaries: dict[str, dict[str, dict[str, dict[str, Any]]]]) -> str:
    """Markdown: one row per (keyword list, partner), before -> after when both sides ran ("-"
    for a side without that row: the real LLM partners play on the after side only)."""
    sides = list(summaries)
    lines = [
        "| keywords | partner | games | solved " + " / ".join(sides)
        + " | mean rounds (solved) " + " / ".join(sides)
        + " | rounds to decide (mean; games ending in the Bayesian mode) "
        + " / ".join(sides) + " |",
        "|---|---|---:|---:|---:|---:|",
    ]  # fmt: skip
    rows: dict[str, dict[str, None]] = {}  # (source -> partner names), in order, every side's
    for side in sides:
        for source, by_partner in summaries[side].items():
            rows.setdefault(source, {}).update(dict.fromkeys(by_partner))
    for source, names in rows.items():
        for name in names:
            cells = [summaries[s].get(source, {}).get(name) for s in sides]
            played = [c for c in cells if c is not None]
            solved = " / ".join(
                "-" if c is None else f"{c['solved']} ({c['solved_rate']:.0%})" for c in cells
            )
            rounds = " / ".join(
                "-" if c is None else str(c["mean_rounds_solved"] or "-") for c in cells
            )
            decide = " / ".join(
                "-"
                if c is None
                else f"{c['mean_decision_round'] or '-'}"
                + ("" if c["ended_in_bayes_mode"] is None else f" ({c['ended_in_bayes_mode']})")
                for c in cells
            )
            label = Path(source).name if source != "official" else "official"
            lines.append(
                f"| {label} | {name} | {played[0]['games']} | {solved} | {rounds} | {decide} |"
            )
    return "\n".join(lines)


def plot_suite(summaries: dict[str, dict[str, dict[str, dict[str, Any]]]], path: Path) -> Path:
    """PNG: cumulative success by round, one panel per keyword list, one line per partner and
    side (after solid, before dashed)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on the machines this runs on
    import matplotlib.pyplot as plt

    sides = list(summaries)
    sources = list(summaries[sides[0]])
    fig, axes = plt.subplots(
        1, len(sources), figsize=(6 * len(sources), 4.5), dpi=100, squeeze=False
    )
    rounds = list(range(MAX_ROUNDS + 1))
    for ax, source in zip(axes[0], sources, strict=True):
        for k, name in enumerate(summaries[sides[0]][source]):
            colour = f"C{k}"
            for side in sides:
                cell = summaries[side][source].get(name)
                if cell is None:
                    continue
                values = [0.0, *cell["cumulative_success"]]
                style = "-" if side == sides[-1] else "--"
                ax.step(rounds, [100 * v for v in values], style, where="post", color=colour,
                        label=f"{name} ({side})")  # fmt: skip
        ax.set_xlim(0, MAX_ROUNDS)
        ax.set_ylim(0, 105)
        ax.set_xticks(range(0, MAX_ROUNDS + 1, 2))
        ax.set_xlabel("round")
        ax.set_ylabel("games solved by this round (%)")
        ax.set_title(Path(source).name if source != "official" else "official list")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def people_agreement_lines(agreement: dict[str, dict[str, Any]]) -> list[str]:
    """One line per real LLM answerer row: how often that partner answers the people's panel as
    people do (``kb agreement --partner``'s figures for the same model and prompt style)."""
    return [
        f"{row}: agrees with people on {a['agreement']:.1%} of {a['scored']} panel pairs "
        f"({a['yes_for_no']} yes for no; yes share {a['yes_share']:.0%} against people's "
        f"{a['people_yes_share']:.0%}; {a['file']})"
        for row, a in agreement.items()
    ]
