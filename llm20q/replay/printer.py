"""A finished game printed round by round, with what the planner made of it.

For every round: the question with its expected information (bits, over the posterior before it),
the answer, the guess, and the planner's top candidates after that round (its posterior, from
:class:`agent.planner.explain.PlannerView`). Without a knowledge folder the rounds are printed
alone.
"""

from __future__ import annotations

from dataclasses import replace

from agent.game import Round
from agent.planner.explain import PlannerView
from llm20q.play.screen import percent
from llm20q.replay.transcripts import Transcript


def _evidence(transcript: Transcript, count: int) -> tuple[Round, ...]:
    """The first ``count`` rounds as the planner should read them: a solved game's last guess
    was right, so it does not rule its candidate out."""
    rounds = transcript.rounds[:count]
    if transcript.solved and count == len(transcript.rounds) and rounds:
        rounds = (*rounds[:-1], replace(rounds[-1], guess=None))
    return rounds


def _result(transcript: Transcript) -> str:
    result = f"solved in round {len(transcript.rounds)}" if transcript.solved else "not solved"
    return f"{result} ({transcript.ended})" if transcript.ended else result


def format_transcript(transcript: Transcript, view: PlannerView | None, top: int = 5) -> str:
    """The transcript as text, one block per round."""
    keyword = transcript.keyword or "(keyword not recorded)"
    lines = [f"== {transcript.title}: {keyword} - {_result(transcript)}"]
    if not transcript.recorded:
        lines.append("   (this file keeps the result only, not the rounds)")
    for number, played in enumerate(transcript.rounds, start=1):
        before = transcript.rounds[: number - 1]
        bits = view.information(before, played.question) if view is not None else None
        info = "" if bits is None else f"  [{bits:.2f} bits]"
        lines.append(f"{number:>2}. Q: {played.question}{info}")
        lines.append(f"    A: {played.answer or '-'}    guess: {played.guess or '-'}")
        if view is not None and played.answer is not None:
            thinking = view.think(_evidence(transcript, number), top)
            names = ", ".join(f"{name} {percent(p)}" for name, p in thinking.candidates)
            lines.append(f"    {thinking.mode.value}, outside {percent(thinking.outside)}: {names}")
    if view is not None and transcript.keyword:
        standing = view.standing(_evidence(transcript, len(transcript.rounds)), transcript.keyword)
        where = (
            "not in the lexicon"
            if standing is None
            else f"candidate #{standing[0]:,} ({percent(standing[1])}) at the end"
        )
        lines.append(f"   {transcript.keyword}: {where}")
    return "\n".join(lines)
