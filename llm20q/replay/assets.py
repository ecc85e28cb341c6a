"""The JavaScript kaggle-environments' HTML player loads from a CDN, kept beside the project so a
replay renders with no network.

The player (``kaggle_environments/static/player.html``) loads preact 10.0.1 (and its hooks), htm
2.2.1 and styled-components 3.5.0-0 from unpkg; without them the page stays blank offline.
:func:`fetch_assets` (``llm20q fetch-js``, run by ``make setup``) takes those exact files out of
the npm registry's tarballs with ``npm pack`` and checks each against the sha256 pinned here;
:func:`inline_assets` replaces each ``<script src=CDN>`` tag of a player page with the file's
text. A CDN tag stays where its file is missing or does not match its hash (a warning says so).
:func:`drop_unused_links` removes the player's other links out of the file, which nothing here
needs: chess.js (this env is no chess game) and a CSS reset from cdnjs (the only rules of it the
player's page relies on, for its legend's list, are written inline instead).

Shortcut: the match is on the player's exact ``<script src="..."></script>`` tags of
kaggle-environments 1.18.0; another player template would keep its CDN links (with a warning).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from agent.settings import PROJECT_DIR
from llm20q.files import NpmFile, fetch_npm_files, missing_npm_files

log = logging.getLogger(__name__)

ASSETS_DIR = PROJECT_DIR / "vendor" / "js"
UNUSED_SCRIPT = re.compile(r'<script src="https://unpkg\.com/chess\.js@[^"]*"></script>\s*')
STYLESHEET_LINK = re.compile(r'<link\s[^>]*href="https?://[^"]*"[^>]*>\s*', re.DOTALL)
# what the player's page takes from the CSS reset: its legend is a list without bullets
RESET_RULES = "<style>ul, li { list-style: none; margin: 0; padding: 0; }</style>\n"


class Asset(NpmFile):
    """One file of an npm package the player loads, and where it loads it from."""

    @property
    def url(self) -> str:
        return f"https://unpkg.com/{self.package}@{self.version}/{self.member}"

    @property
    def tag(self) -> str:
        return f'<script src="{self.url}"></script>'


ASSETS = (
    Asset("preact", "10.0.1", "dist/preact.umd.js",
          "ac0c6539c161abe26361df6d42a91924317ee1f25437fb95ffac038162bc4af6"),
    Asset("preact", "10.0.1", "hooks/dist/hooks.umd.js",
          "3bb32eed09d8c86170740f768eca167e23ea31d0968803733e624a6caf18c27d"),
    Asset("htm", "2.2.1", "dist/htm.umd.js",
          "10793649f9012293054aee0103c66f5152970a599805e9f2aaa6a670392ceeb7"),
    Asset("styled-components", "3.5.0-0", "dist/styled-components.min.js",
          "83b588be19da1c1ce5bb56255aa70453bb43152e8375e15a88a9cadfdc8878e1"),
)  # fmt: skip


def missing_assets(folder: Path = ASSETS_DIR, assets: Sequence[Asset] = ASSETS) -> list[Asset]:
    """The assets absent from ``folder`` or not matching their sha256."""
    return missing_npm_files(folder, assets)


def fetch_assets(folder: Path = ASSETS_DIR) -> list[Path]:
    """Put every asset in ``folder`` (packages already there with the right hash are skipped);
    a file whose sha256 differs from the pinned one is an error and is not kept."""
    return fetch_npm_files(folder, ASSETS)


def drop_unused_links(html: str) -> str:
    """``html`` without chess.js and the external CSS reset (see the module docstring)."""
    html = UNUSED_SCRIPT.sub("", html)
    html, count = STYLESHEET_LINK.subn("", html)
    if count:
        html = html.replace("</head>", RESET_RULES + "</head>", 1)
    return html


def inline_assets(html: str, folder: Path = ASSETS_DIR, assets: Sequence[Asset] = ASSETS) -> str:
    """``html`` with each player CDN script tag replaced by the file's text (see the module
    docstring for what stays a link)."""
    broken = {a.name for a in missing_assets(folder, assets)}
    for asset in assets:
        if asset.tag not in html:
            log.warning("the player page has no %s tag: it stays as it is", asset.url)
            continue
        if asset.name in broken:
            log.warning("%s missing or altered in %s (run `make setup`): CDN link kept",
                        asset.name, folder)  # fmt: skip
            continue
        text = (folder / asset.name).read_text(encoding="utf-8").replace("</script", "<\\/script")
        html = html.replace(asset.tag, f"<script>/* {asset.url} */\n{text}\n</script>", 1)
    return html
