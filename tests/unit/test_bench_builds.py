"""``llm20q bench builds``: which wheels it accepts (the timing itself runs as a benchmark)."""

from __future__ import annotations

import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from llm20q.bench.builds import parse_wheel_args, unpack_libs

VERSION = metadata.version("llama-cpp-python")


def wheel(folder: Path, name: str, version: str = VERSION) -> Path:
    path = folder / name / f"llama_cpp_python-{version}-py3-none-linux_x86_64.whl"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("llama_cpp/lib/libllama.so", b"\x7fELF")
        archive.writestr("llama_cpp/__init__.py", "")
    return path


def test_two_named_wheels_of_the_installed_version(tmp_path: Path) -> None:
    a, b = wheel(tmp_path, "a"), wheel(tmp_path, "b")
    assert parse_wheel_args([f"gcc={a}", f"portable={b}"]) == [("gcc", a), ("portable", b)]
    libs = unpack_libs(a, tmp_path / "unpacked")
    assert libs == tmp_path / "unpacked" / "llama_cpp" / "lib"
    assert (libs / "libllama.so").is_file() and not (libs.parent / "__init__.py").exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["gcc={A}"], "at least two"),
        (["gcc={A}", "gcc={B}"], "different names"),
        (["{A}"], "NAME=WHEEL"),
        (["gcc={A}", "x=missing.whl"], "no such file"),
        (["gcc={A}", "old={OLD}"], "is not llama-cpp-python"),
    ],
)
def test_bad_wheel_arguments_are_clear_errors(
    tmp_path: Path, values: list[str], message: str
) -> None:
    paths = {"A": wheel(tmp_path, "a"), "B": wheel(tmp_path, "b"),
             "OLD": wheel(tmp_path, "old", "0.2.0")}  # fmt: skip
    with pytest.raises(ValueError, match=message):
        parse_wheel_args([value.format(**paths) for value in values])
