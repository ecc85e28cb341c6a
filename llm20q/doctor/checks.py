"""One doctor check's outcome, and the report they make.

A check is ``ok``, ``warn`` (worth reading, not a reason to stop) or ``fail`` (the submission
would not work as meant); a failed check names its fix. ``values`` carries the numbers behind the
detail for ``--json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def ok(name: str, detail: str, **values: Any) -> Check:
    return Check(name, "ok", detail, values=values)


def warn(name: str, detail: str, fix: str, **values: Any) -> Check:
    return Check(name, "warn", detail, fix, values)


def fail(name: str, detail: str, fix: str, **values: Any) -> Check:
    return Check(name, "fail", detail, fix, values)


def passed(checks: Sequence[Check]) -> bool:
    return all(check.status != "fail" for check in checks)


def as_json(checks: Sequence[Check]) -> dict[str, Any]:
    return {"ok": passed(checks), "checks": [asdict(check) for check in checks]}
