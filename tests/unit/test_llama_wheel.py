"""The one llama-cpp-python wheel builder: flavours kept apart in the wheelhouse, a non-portable
wheel refused as the portable one, and the compiler/CMake plumbing of each flavour (no compiling:
the build itself runs at `make setup`)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from llm20q.submission import llama_wheel, tools
from llm20q.submission.cuda_libs import CudaError
from tests.native import OPENMP_C, shared_object
from tests.unit.test_elf_check import full_toolkit

WHEEL_NAME = "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl"


def wheel_with(folder: Path, library: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / WHEEL_NAME
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(library, f"llama_cpp/lib/{library.name}")
        archive.writestr("llama_cpp/__init__.py", "")
    return path


def test_each_flavour_has_its_own_folder_and_cmake_arguments(tmp_path: Path) -> None:
    portable = llama_wheel.make_recipe("portable")
    gcc = llama_wheel.make_recipe("gcc")
    t4 = llama_wheel.make_recipe("cuda")
    two = llama_wheel.make_recipe("cuda", cuda_arch="75,86")
    extra = llama_wheel.make_recipe("gcc", extra_cmake_args="-DGGML_AVX512=ON")
    assert [r.key for r in (portable, gcc, t4, two)] == [
        "portable",
        "gcc",
        "cuda-sm75",
        "cuda-sm75-86",
    ]
    assert extra.key.startswith("gcc-") and len(extra.key) == len("gcc-") + 12
    assert portable.cmake_args == "-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF"
    assert gcc.cmake_args == "-DGGML_NATIVE=OFF"
    assert "-DGGML_CUDA=on -DCMAKE_CUDA_ARCHITECTURES=75;86" in two.cmake_args
    assert extra.cmake_args.endswith(" -DGGML_AVX512=ON")
    folders = {llama_wheel.wheel_dir(tmp_path, r) for r in (portable, gcc, t4, two, extra)}
    assert len(folders) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("arm",), "unknown flavour 'arm'"),
        (("cuda", "0.3.36", "sm_75"), "compute capabilities such as 75"),
        (("gcc", "latest"), "a release such as 0.3.36"),
    ],
)
def test_a_bad_recipe_is_a_clear_error(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(llama_wheel.WheelError, match=message):
        llama_wheel.make_recipe(*args)


@pytest.fixture(scope="module")
def gomp_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a gcc build ships: a library that needs libgomp."""
    return shared_object(
        tmp_path_factory.mktemp("gcc") / "libggml-cpu.so", code=OPENMP_C, flags=["-fopenmp"]
    )


def test_a_gcc_wheel_is_never_taken_for_the_portable_one(
    tmp_path: Path, gomp_library: Path
) -> None:
    portable = llama_wheel.make_recipe("portable")
    gcc = llama_wheel.make_recipe("gcc")
    in_gcc = wheel_with(llama_wheel.wheel_dir(tmp_path, gcc), gomp_library)
    assert llama_wheel.find_wheel(llama_wheel.wheel_dir(tmp_path, portable), "0.3.36") is None
    assert llama_wheel.ensure_wheel(gcc, tmp_path) == in_gcc
    assert "shared objects need at most" in llama_wheel.verify(in_gcc, gcc)
    misplaced = wheel_with(llama_wheel.wheel_dir(tmp_path, portable), gomp_library)
    with pytest.raises(llama_wheel.WheelError, match=r"is not portable .*libgomp\.so\.1"):
        llama_wheel.ensure_wheel(portable, tmp_path)
    assert misplaced.is_file()


def test_a_portable_wheel_in_its_folder_is_used_as_is(tmp_path: Path) -> None:
    portable = llama_wheel.make_recipe("portable")
    clean = shared_object(tmp_path / "built" / "libllama.so")
    wheel = wheel_with(llama_wheel.wheel_dir(tmp_path, portable), clean)
    assert llama_wheel.ensure_wheel(portable, tmp_path) == wheel


def test_portable_builds_with_zig_for_glibc_2_17(tmp_path: Path) -> None:
    zig_dir = tmp_path / "tools" / f"ziglang-{tools.ZIGLANG.split('==')[1]}"
    (zig_dir / "ziglang").mkdir(parents=True)
    (zig_dir / "ziglang" / "zig").touch()
    (zig_dir / ".complete").touch()  # as tools.tool_dir leaves it after pip install --target
    env, compiler = llama_wheel.build_env(llama_wheel.make_recipe("portable"), tmp_path, tmp_path)
    assert env["CMAKE_ARGS"] == "-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF"
    wrapper = Path(env["CXX"]).read_text()
    assert f"'{zig_dir / 'ziglang' / 'zig'}' 'c++' '-target' 'x86_64-linux-gnu.2.17'" in wrapper
    assert "ziglang==0.17.0" in compiler


def test_cuda_builds_with_the_toolkit_it_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = full_toolkit(tmp_path / "cuda")
    monkeypatch.setenv("CUDA_HOME", str(root))
    monkeypatch.delenv("CUDACXX", raising=False)
    recipe = llama_wheel.make_recipe("cuda", cuda_arch="75")
    env, compiler = llama_wheel.build_env(recipe, tmp_path, tmp_path)
    assert env["CUDACXX"] == str(root / "bin" / "nvcc")
    assert env["CMAKE_ARGS"] == (
        "-DGGML_NATIVE=OFF -DGGML_OPENMP=OFF -DGGML_CUDA=on -DCMAKE_CUDA_ARCHITECTURES=75 "
        f"-DCUDAToolkit_ROOT={root}"
    )
    assert env["CC"].endswith("gcc") and "nvcc 12.4" in compiler


def test_cuda_without_a_toolkit_fails_before_any_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CUDA_HOME", str(tmp_path / "none"))
    with pytest.raises(CudaError):
        llama_wheel.build_env(llama_wheel.make_recipe("cuda"), tmp_path, tmp_path)
    code = llama_wheel.main(["--flavour", "cuda", "--wheelhouse", str(tmp_path / "wh")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and err[0].startswith("error: no CUDA toolkit found")
    assert not (tmp_path / "wh" / "sdist").exists()


def test_dry_run_prints_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CUDA_HOME", str(full_toolkit(tmp_path / "cuda")))
    code = llama_wheel.main(
        [
            "--flavour",
            "cuda",
            "--cuda-arch",
            "75,86",
            "--dry-run",
            "--wheelhouse",
            str(tmp_path / "wh"),
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == f"folder: {tmp_path / 'wh' / 'llama-cpp-python' / 'cuda-sm75-86'}"
    assert "-DCMAKE_CUDA_ARCHITECTURES=75;86" in out[2]
