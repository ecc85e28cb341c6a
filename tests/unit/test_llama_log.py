"""llama.cpp's log as the handles route it: errors shown, the known harmless notes kept back."""

from __future__ import annotations

import pytest

from agent.model.llama_handles import quiet_log, route_log


def test_the_harmless_notes_are_kept_back_and_other_errors_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    route_log(False)
    error = 3  # GGML_LOG_LEVEL_ERROR
    quiet_log(error, b"load: control-looking token: 128247 '</s>' was not control-type\n", None)
    quiet_log(error, b"llama_model_load: error loading model\n", None)
    quiet_log(1, b"an info line\n", None)  # below the error level
    assert capsys.readouterr().err == "llama_model_load: error loading model\n"
