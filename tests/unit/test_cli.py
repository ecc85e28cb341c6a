"""The ``llm20q`` command line: every subcommand is wired, and ``--help`` stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from llm20q.cli import build_parser, main

HEAVY = ("numpy", "llama_cpp", "kaggle_environments", "torch", "matplotlib", "wordfreq")


def test_help_loads_no_numpy_and_no_model() -> None:
    probe = (
        "import sys\n"
        "from llm20q.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "usage: llm20q" in out
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "argv",
    [
        ["selfplay", "--episodes", "2"],
        ["eval", "--games", "3", "--pairing", "vs-baseline-answerer"],
        ["eval-answerer"],
        ["bench", "planner"],
        ["kb", "build", "--exclude-official"],
        ["kb", "coverage", "--keywords", "official"],
        ["kb", "fit-prior", "--out", "/tmp/x", "--folds", "5"],
        ["kb", "agreement", "--kb", "/tmp/kb", "--margin", "0.1", "--plain"],
        ["eval-partners", "--knowledge", "/tmp/kb", "--before", "HEAD"],
        ["eval", "--pairing", "vs-partner", "--partner", "false-alpha"],
        ["fetch-model"],
        ["play", "--role", "ask", "--keyword", "toaster", "--seed", "3"],
        ["play", "--model", "m.gguf", "--strategy", "llm"],
        ["replay", "game.json", "--html", "game.html"],
        ["fetch-js", "--dest", "js"],
        ["doctor", "--tarball", "submission.tar.gz", "--json"],
        ["tiny-llama3", "--out", "m.gguf"],
        ["bench", "speed", "--repeats", "3"],
        ["bench", "builds", "--wheel", "a=a.whl", "--wheel", "b=b.whl"],
    ],
)
def test_every_command_parses_to_a_handler(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert callable(args.handler)


def test_a_bad_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "--pairing", "nobody"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'nobody'" in capsys.readouterr().err
