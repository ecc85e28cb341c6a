"""Headless Chromium (Debian's ``chromium``, installed by ``make setup``) for the HTML replays.

Every page opens with every host name unresolvable (so nothing can come from a CDN), in a
1280x900 window and a fresh profile. :func:`on_screen` reports what a person sees one second
after the page loaded: a small script, added to a copy of the page before anything else runs,
records the replay's text, the player's step counter ("34 / 34") and, for every round of the
history, whether its row lies inside the visible part of the view; ``--dump-dom`` prints the
page with that record in a ``<pre id="probe">``. :func:`screenshot` writes the PNG a person
would see at the same moment. One second is long enough for the player to draw and far too short
for it to play a game through, so a page that starts at step 1 and plays is caught.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

WINDOW = "1280,900"
SEEN_AFTER_MS = 1000
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: every host name fails to resolve
    f"--window-size={WINDOW}",
)  # fmt: skip
PROBE = (
    """<script>window.addEventListener("load", () => setTimeout(() => {
  const root = document.getElementById("llm20q-replay");
  const view = root ? root.getBoundingClientRect() : null;
  const shown = (node) => {
    const box = node.getBoundingClientRect();
    return Boolean(view) && box.height > 0 && box.top >= view.top - 1 &&
      box.bottom <= Math.min(view.bottom, innerHeight) + 1 && box.right <= innerWidth + 1;
  };
  const rows = root ? [...root.querySelectorAll("tr[data-round]")] : [];
  const counter = document.body.innerText.match(/(\\d+) \\/ (\\d+)/);
  const round = document.getElementById("llm20q-round");
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({
    text: root ? root.innerText : "",
    round: round ? round.innerText : "",
    step: counter ? [Number(counter[1]), Number(counter[2])] : null,
    teams: root ? [...root.querySelectorAll("section[data-team]")].map((s) => s.dataset.team) : [],
    rows: rows.map((row) => ({
      team: row.closest("section").dataset.team,
      round: Number(row.dataset.round),
      cells: [...row.children].map((cell) => cell.innerText),
      shown: shown(row),
    })),
  });
  document.documentElement.appendChild(probe);
}, SEEN_AFTER_MS));</script>"""
).replace("SEEN_AFTER_MS", str(SEEN_AFTER_MS))


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        raise FileNotFoundError("chromium is not installed: run `make setup`")
    return found


def _run(scratch: Path, *args: str) -> str:
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=scratch)  # a fresh one every run
    result = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return result.stdout


def on_screen(page: Path, scratch: Path) -> dict[str, Any]:
    """What the page shows a person one second after it loaded (see the module docstring)."""
    source = page.read_text(encoding="utf-8")
    probed = scratch / f"probed-{page.name}"
    probed.write_text(source.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    budget = f"--virtual-time-budget={SEEN_AFTER_MS + 2000}"
    dom = _run(scratch, budget, "--dump-dom", probed.as_uri())
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    if match is None:
        return {"text": "", "round": "", "step": None, "teams": [], "rows": []}
    seen: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return seen


def screenshot(page: Path, png: Path, scratch: Path) -> Path:
    """The PNG of ``page`` as a person sees it one second after it loaded."""
    _run(scratch, f"--virtual-time-budget={SEEN_AFTER_MS}", f"--screenshot={png}", page.as_uri())
    if not png.is_file() or png.stat().st_size == 0:
        raise AssertionError(f"chromium wrote no screenshot of {page}")
    return png


def external_references(page: Path) -> list[str]:
    """Every tag of ``page`` that loads something from outside the file."""
    source = page.read_text(encoding="utf-8")
    pattern = r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//[^>]*>"
    css = r"@import\s+(?:url\()?\s*[\"']?https?:|url\(\s*[\"']?https?:"
    return re.findall(pattern, source) + re.findall(css, source)
