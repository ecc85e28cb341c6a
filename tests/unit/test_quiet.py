"""llm20q.quiet: a library's import-time prints and logs kept back, other threads untouched,
everything shown with -v. The real kaggle-environments import is checked, in a fresh process at
the file-descriptor level, by tests/integration/test_replay_html.py (``llm20q replay --html``)."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator

import pytest

from llm20q.cli import build_parser
from llm20q.quiet import is_verbose, muted, set_verbose

LOGGER = "chatty_library.envs.games"


def chatty_import() -> logging.Logger:
    """What kaggle-environments does when imported: prints, and a logger of its own
    with an INFO level and a handler bound to the sys.stdout of that moment."""
    print("termcolor not installed, skipping dependency")
    print("No pygame installed, ignoring import", file=sys.stderr)
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.StreamHandler(sys.stdout))
    logger.info("Successfully loaded OpenSpiel environments: 6.")
    return logger


@pytest.fixture(autouse=True)
def clean_logger() -> Iterator[None]:
    yield
    logger = logging.getLogger(LOGGER)
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)
    set_verbose(False)


def test_chatter_is_kept_back_and_later_logs_stay_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with muted("chatty_library"):
        logger = chatty_import()
    assert capsys.readouterr() == ("", "")
    logger.info("another INFO line, later")
    logger.warning("a real problem")
    out, err = capsys.readouterr()
    # the handler writes to the real stdout again, and only what matters
    assert out == "a real problem\n" and err == ""
    assert sys.stdout is not None and type(sys.stdout).__name__ != "ThreadMutedStream"


def test_other_threads_print_while_one_is_muted(capsys: pytest.CaptureFixture[str]) -> None:
    inside, release = threading.Event(), threading.Event()

    def importer() -> None:
        with muted("chatty_library"):
            print("chatter from the importing thread")
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=importer)
    thread.start()
    assert inside.wait(10)
    print("the play screen")  # the main thread draws while the judge imports
    release.set()
    thread.join(10)
    assert capsys.readouterr().out == "the play screen\n"


def test_a_failed_import_shows_what_it_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ImportError), muted("chatty_library"):
        print("libfoo.so: cannot open shared object file")
        raise ImportError("no module named foo")
    out, err = capsys.readouterr()
    assert out == "" and "libfoo.so: cannot open shared object file" in err


def test_verbose_shows_everything(capsys: pytest.CaptureFixture[str]) -> None:
    set_verbose(True)
    with muted("chatty_library"):
        logger = chatty_import()
    logger.info("another INFO line, later")
    out, err = capsys.readouterr()
    assert "termcolor not installed" in out and "No pygame installed" in err
    assert "Successfully loaded OpenSpiel" in out and "another INFO line, later" in out


@pytest.mark.parametrize(
    ("argv", "verbose"),
    [
        (["selfplay"], False),
        (["-v", "selfplay"], True),
        (["selfplay", "-v"], True),
        (["replay", "game.json", "--html", "g.html", "--verbose"], True),
        (["-v", "doctor"], True),
    ],
)
def test_dash_v_before_or_after_the_command(argv: list[str], verbose: bool) -> None:
    args = build_parser().parse_args(argv)
    assert bool(getattr(args, "verbose", False)) is verbose
    assert not is_verbose()  # parsing alone changes nothing
