"""The submission helpers on their own: wheel tag checks and the reproducible packer."""

from __future__ import annotations

import gzip
import os
import re
import tarfile
import zipfile
from pathlib import Path

import pytest

from llm20q.files import sha256_of
from llm20q.submission import pack, runtime_deps
from tests.native import shared_object


def fake_wheel(folder: Path, filename: str, members: dict[str, bytes]) -> Path:
    path = folder / filename
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in members.items():
            wheel.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("filename", "members", "reason"),
    [
        ("numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl", {}, "built for Python 3.11"),
        ("x-1-cp312-abi3-manylinux_2_28_x86_64.whl", {}, "built for Python 3.12"),
        ("x-1-py3-none-win_amd64.whl", {}, "not for Linux x86_64"),
        ("x-1-py3-none-any.whl", {"x/_c.cpython-311-x86_64-linux-gnu.so": b""}, "Python 3.11"),
    ],
)
def test_wheel_check_refuses(
    tmp_path: Path, filename: str, members: dict[str, bytes], reason: str
) -> None:
    wheel = fake_wheel(tmp_path, filename, members)
    with pytest.raises(runtime_deps.CheckError, match=re.escape(reason)):
        runtime_deps.check_wheel(wheel, (3, 10))


def test_wheel_check_refuses_a_library_that_links_another_libpython(tmp_path: Path) -> None:
    libpython = shared_object(tmp_path / "py" / "libpython3.11.so.1.0")
    linked = shared_object(tmp_path / "libx.so", needs=[libpython]).read_bytes()
    wheel = fake_wheel(tmp_path, "x-1-py3-none-linux_x86_64.whl", {"x/lib/libx.so": linked})
    with pytest.raises(runtime_deps.CheckError, match=r"links libpython3\.11\.so\.1\.0, not"):
        runtime_deps.check_wheel(wheel, (3, 10))
    runtime_deps.check_wheel(wheel, (3, 11))


@pytest.mark.parametrize(
    "filename",
    [
        "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl",
        "x-1-cp310-cp310-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "x-1-cp38-abi3-manylinux_2_17_x86_64.whl",
        "x-1-py2.py3-none-any.whl",
    ],
)
def test_wheel_check_accepts(tmp_path: Path, filename: str) -> None:
    runtime_deps.check_wheel(fake_wheel(tmp_path, filename, {"x/__init__.py": b""}), (3, 10))


def test_pack_is_reproducible_and_leaves_out_caches_and_tests(tmp_path: Path) -> None:
    trees = []
    for index, order in enumerate((["b", "a"], ["a", "b"])):
        root = tmp_path / f"tree{index}"
        for name in order:
            (root / name).mkdir(parents=True)
            (root / name / "m.py").write_text(f"# {name}\n")
        (root / "run.sh").write_text("#!/bin/sh\n")
        (root / "run.sh").chmod(0o700 if index else 0o755)
        (root / "a" / "m.py").chmod(0o600 if index else 0o644)
        for junk in ("__pycache__/m.cpython-311.pyc", "tests/test_m.py", "stray.pyc"):
            (root / "a" / junk).parent.mkdir(parents=True, exist_ok=True)
            (root / "a" / junk).write_bytes(os.urandom(8))
        os.utime(root / "a" / "m.py", (index * 1000, index * 1000))
        trees.append(root)
    outs = [tmp_path / f"out{i}.tar.gz" for i in range(2)]
    for tree, out in zip(trees, outs, strict=True):
        pack.pack(tree, out, mtime=315532800, patterns=pack.DEFAULT_EXCLUDES, compressor="python")
    assert sha256_of(outs[0]) == sha256_of(outs[1])
    with gzip.open(outs[0]) as stream, tarfile.open(fileobj=stream) as archive:
        members = archive.getmembers()
    names = [m.name for m in members]
    assert names == ["a", "a/m.py", "b", "b/m.py", "run.sh"]
    assert {m.mtime for m in members} == {315532800}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    assert {m.name: m.mode for m in members}["run.sh"] == 0o755
    assert {m.name: m.mode for m in members}["a/m.py"] == 0o644
