"""One doctor check's outcome, and the verdict the checks make together.

A check is ``ok``, ``warn`` (it works, and a person should act on what it says), ``gpu`` (it
works on Kaggle's T4 but is too slow on a CPU) or ``fail`` (the submission would not work as
meant); ``detail`` is one line in plain words, and a check that is not ok names its ``fix`` (and
may give a shorter ``summary`` for the verdict). ``values`` carries the numbers behind the detail
for ``--json``.

The verdict is derived from the checks, never written by them (:func:`verdict`): ``no`` when a
check fails, else ``only on a GPU`` when a check says so (with a CPU-built tarball, the reason says
to rebuild it for the T4), else ``yes``; the warnings are counted in every case. Only ``no`` is a
failure (exit status 1): a model that needs the T4 is a choice to make, not a broken submission,
and a move the model cannot finish in time is still played by the agent's model-free policies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "warn", "gpu", "fail"]
Ready = Literal["yes", "only on a GPU", "no"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    summary: str = ""  # the detail in a few words, for the verdict's reason


def ok(name: str, detail: str, **values: Any) -> Check:
    return Check(name, "ok", detail, values=values)


def warn(name: str, detail: str, fix: str, **values: Any) -> Check:
    return Check(name, "warn", detail, fix, values)


def gpu_only(name: str, detail: str, fix: str, **values: Any) -> Check:
    return Check(name, "gpu", detail, fix, values)


def fail(name: str, detail: str, fix: str, **values: Any) -> Check:
    return Check(name, "fail", detail, fix, values)


@dataclass(frozen=True)
class Verdict:
    """Ready for Kaggle or not, why, and the warnings to read."""

    ready: Ready
    reason: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        text = f"ready for Kaggle: {self.ready}"
        if self.reason:
            text += f" ({self.reason})"
        if self.warnings:
            count, names = len(self.warnings), ", ".join(self.warnings)
            text += f"; {count} warning{'s' if count > 1 else ''} to read: {names}"
        return text


def _reason(check: Check) -> str:
    return f"{check.name}: {check.summary or check.detail}" + (
        f"; {check.fix}" if check.fix else ""
    )


def verdict(checks: Sequence[Check]) -> Verdict:
    """The verdict of ``checks`` (see the module docstring)."""
    warnings = tuple(check.name for check in checks if check.status == "warn")
    failed = [check for check in checks if check.status == "fail"]
    if failed:
        more = f" (and {len(failed) - 1} more failed)" if len(failed) > 1 else ""
        return Verdict("no", _reason(failed[0]) + more, warnings)
    needs_gpu = [check for check in checks if check.status == "gpu"]
    if not needs_gpu:
        return Verdict("yes", "", warnings)
    reason = _reason(needs_gpu[0])
    if any(check.values.get("cuda") is False for check in checks):  # a CPU-built tarball
        reason += "; this tarball is a CPU build: rebuild it with build_submission.sh --cuda"
    return Verdict("only on a GPU", reason, warnings)


def as_json(checks: Sequence[Check]) -> dict[str, Any]:
    found = verdict(checks)
    return {
        "ok": found.ready != "no",
        "verdict": {**asdict(found), "line": found.line},
        "checks": [asdict(check) for check in checks],
    }
