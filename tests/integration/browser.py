"""Headless Chromium (Debian's ``chromium``, installed by ``make setup``) for the HTML replays.

:func:`drawn_text` opens a page with every host name unresolvable (so nothing comes from a CDN)
and returns the text its canvas renderer drew: a small script, added to a copy of the page
before anything else runs, records every ``fillText`` call into a ``<pre id="drawn">`` element,
and ``--dump-dom`` prints the page after the player has played for a few virtual seconds.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: every host name fails to resolve
    "--virtual-time-budget=15000",  # let the player step through the episode
)  # fmt: skip
RECORDER = """<script>(() => {
  const draw = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    let sink = document.getElementById("drawn");
    if (!sink) {
      sink = document.createElement("pre");
      sink.id = "drawn";
      document.documentElement.appendChild(sink);
    }
    sink.textContent += text + "\\n";
    return draw.call(this, text, ...rest);
  };
})();</script>"""


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        raise FileNotFoundError("chromium is not installed: run `make setup`")
    return found


def drawn_text(page: Path, scratch: Path) -> str:
    """What the page's canvas shows over the episode, one drawn string per line."""
    source = page.read_text(encoding="utf-8")
    recorded = scratch / f"recorded-{page.name}"
    recorded.write_text(source.replace("<head>", "<head>" + RECORDER, 1), encoding="utf-8")
    profile = scratch / "chromium-profile"
    profile.mkdir(exist_ok=True)
    result = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
         recorded.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    match = re.search(r'<pre id="drawn">(.*?)</pre>', result.stdout, re.DOTALL)
    return html.unescape(match.group(1)) if match else ""
