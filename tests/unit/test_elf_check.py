"""ELF reading and the portability policies, on shared objects compiled here (tests/native.py);
the CUDA toolkit finder on fake toolkits, and vendoring CUDA libraries on compiled stand-ins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from llm20q.submission import cuda_libs, elf_check, runtime_deps
from tests.native import LIBSTDCXX_CPP, NEW_GLIBC_C, OPENMP_C, shared_object

POLICY = elf_check.MANYLINUX2014


@pytest.fixture(scope="module")
def libs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """lib/pkg/: a clean library that needs a shipped neighbour, and three that break
    manylinux2014 (a new glibc symbol, libstdc++'s new string ABI, libgomp)."""
    root = tmp_path_factory.mktemp("lib")
    pkg = root / "pkg"
    neighbour = shared_object(pkg / "libneighbour.so.0")
    shared_object(pkg / "libclean.so", needs=[neighbour])
    shared_object(pkg / "libnewglibc.so", code=NEW_GLIBC_C)
    shared_object(pkg / "libcxx.so", code=LIBSTDCXX_CPP, cxx=True)
    shared_object(pkg / "libomp.so", code=OPENMP_C, flags=["-fopenmp"])
    (pkg / "notes.txt").write_text("not an ELF file\n")
    return root


def by_name(folder: Path) -> dict[str, elf_check.ElfNeeds]:
    return {needs.name: needs for needs in elf_check.scan(folder)}


def test_reads_needed_libraries_run_paths_and_symbol_versions(libs: Path) -> None:
    found = by_name(libs)
    assert set(found) == {f"pkg/lib{n}.so" for n in ("clean", "newglibc", "cxx", "omp")} | {
        "pkg/libneighbour.so.0"
    }
    clean = found["pkg/libclean.so"]
    assert "libneighbour.so.0" in clean.needed and clean.run_paths == ("$ORIGIN",)
    assert ("libc.so.6", "GLIBC_2.26") in found["pkg/libnewglibc.so"].versions
    assert found["pkg/libnewglibc.so"].highest("GLIBC") == (2, 26)
    assert "libstdc++.so.6" in found["pkg/libcxx.so"].needed
    assert found["pkg/libcxx.so"].highest("GLIBCXX") >= (3, 4, 21)  # type: ignore[operator]
    assert "libgomp.so.1" in found["pkg/libomp.so"].needed


def test_manylinux2014_accepts_a_clean_library_with_its_neighbour_shipped(libs: Path) -> None:
    clean = by_name(libs)["pkg/libclean.so"]
    assert elf_check.problems([clean], POLICY, libs) == []
    shipped = elf_check.shipped_path(clean, "libneighbour.so.0", libs)
    assert shipped == libs / "pkg" / "libneighbour.so.0"


def test_manylinux2014_refuses_new_symbols_libstdcxx_abi_and_libgomp(libs: Path) -> None:
    found = by_name(libs)
    glibc = elf_check.problems([found["pkg/libnewglibc.so"]], POLICY, libs)
    assert glibc == [
        "pkg/libnewglibc.so needs GLIBC_2.26 (from libc.so.6), above manylinux2014's GLIBC_2.17"
    ]
    cxx = elf_check.problems([found["pkg/libcxx.so"]], POLICY, libs)
    assert any("GLIBCXX_3.4.2" in line and "GLIBCXX_3.4.19" in line for line in cxx)
    omp = elf_check.problems([found["pkg/libomp.so"]], POLICY, libs)
    assert "pkg/libomp.so needs libgomp.so.1, which is neither a host library" in omp[-1]


def test_a_needed_library_counts_as_shipped_only_where_the_run_path_points(
    tmp_path: Path,
) -> None:
    dependency = shared_object(tmp_path / "deps" / "libdep.so.1")
    shared_object(tmp_path / "pkg" / "libuser.so", needs=[dependency], run_path="$ORIGIN")
    found = by_name(tmp_path)
    assert elf_check.problems([found["pkg/libuser.so"]], POLICY, tmp_path) == [
        "pkg/libuser.so needs libdep.so.1, which is neither a host library of manylinux2014 "
        "nor shipped beside it"
    ]
    shared_object(tmp_path / "pkg2" / "libuser.so", needs=[dependency], run_path="$ORIGIN/../deps")
    assert elf_check.problems([by_name(tmp_path)["pkg2/libuser.so"]], POLICY, tmp_path) == []


def test_kaggle_policy_allows_what_glibc_2_31_has(libs: Path) -> None:
    found = by_name(libs)
    assert elf_check.problems([found["pkg/libnewglibc.so"]], elf_check.KAGGLE, libs) == []
    summary = elf_check.summarize(found.values())
    assert summary.files == 5
    assert summary.highest["GLIBC"][0] >= (2, 26)
    assert summary.text().startswith("5 shared objects need at most GLIBC_2.")


def test_a_damaged_elf_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "libbroken.so").write_bytes(b"\x7fELF" + b"\x00" * 12)
    with pytest.raises(elf_check.ElfReadError, match=r"libbroken\.so: not a readable ELF file"):
        elf_check.scan(tmp_path)


def test_check_lib_refuses_what_kaggle_cannot_load_in_one_line(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shared_object(lib / "pkg" / "libomp.so", code=OPENMP_C, flags=["-fopenmp"])
    with pytest.raises(runtime_deps.CheckError, match=r"^pkg/libomp.so needs libgomp.so.1"):
        runtime_deps.check_lib(lib, (3, 10))
    (lib / "pkg" / "libomp.so").unlink()
    shared_object(lib / "pkg" / "libnewglibc.so", code=NEW_GLIBC_C)
    text = runtime_deps.check_lib(lib, (3, 10))
    assert "GLIBC_2.26" in text and "not manylinux2014" in text


# ---------------------------------------------------------------------------- CUDA


def fake_nvcc(root: Path, release: str = "12.4") -> Path:
    """A script answering like nvcc: its release, and its toolkit folder for --dryrun."""
    nvcc = root / "bin" / "nvcc"
    nvcc.parent.mkdir(parents=True, exist_ok=True)
    nvcc.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        f'  --version) echo "Cuda compilation tools, release {release}, V{release}.1";;\n'
        f'  --dryrun) echo "#$ TOP={root}/bin/.." >&2;; esac\n'
    )
    nvcc.chmod(0o755)
    return nvcc


def full_toolkit(root: Path) -> Path:
    fake_nvcc(root)
    for name in (
        "include/cuda_runtime.h",
        "include/cublas_v2.h",
        "lib64/libcudart.so.12",
        "lib64/libcublas.so.12",
        "lib64/stubs/libcuda.so",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).touch()
    return root


def test_no_toolkit_is_one_line_naming_where_nvcc_was_looked_for(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path / "bin")}
    with pytest.raises(cuda_libs.CudaError) as error:
        cuda_libs.find_toolkit(env, roots=[tmp_path / "cuda"])
    message = str(error.value)
    assert message.startswith("no CUDA toolkit found (no nvcc at ")
    assert str(tmp_path / "cuda" / "bin" / "nvcc") in message and "\n" not in message
    with pytest.raises(cuda_libs.CudaError, match="CUDA_HOME=/nowhere"):
        cuda_libs.find_toolkit({"CUDA_HOME": "/nowhere", "PATH": ""}, roots=[])


def test_a_toolkit_without_cublas_or_driver_is_refused_naming_the_parts(tmp_path: Path) -> None:
    root = tmp_path / "cuda-12.4"
    fake_nvcc(root)
    (root / "include").mkdir()
    (root / "include" / "cuda_runtime.h").touch()
    (root / "lib64").mkdir()
    (root / "lib64" / "libcudart.so.12").touch()
    with pytest.raises(cuda_libs.CudaError) as error:
        cuda_libs.find_toolkit({"CUDA_HOME": str(root), "PATH": ""})
    message = str(error.value)
    assert f"the CUDA toolkit at {root} (nvcc 12.4) lacks cuBLAS" in message
    if not any((d / "libcuda.so.1").exists() for d in cuda_libs.SYSTEM_LIB_DIRS):
        assert "the driver API" in message


def test_a_full_toolkit_is_found_on_path_with_its_release(tmp_path: Path) -> None:
    root = full_toolkit(tmp_path / "cuda")
    found = cuda_libs.find_toolkit({"PATH": f"{root / 'bin'}{os.pathsep}/usr/bin"}, roots=[])
    assert (found.nvcc, found.root, found.release) == (root / "bin" / "nvcc", root, "12.4")
    assert found.lib_dirs() == [root / "lib64"]


def test_vendoring_copies_the_cuda_runtime_libraries_transitively(tmp_path: Path) -> None:
    toolkit = tmp_path / "toolkit" / "lib64"
    cublas_lt = shared_object(toolkit / "libcublasLt.so.12")
    cublas = shared_object(toolkit / "libcublas.so.12", needs=[cublas_lt])
    cudart = shared_object(toolkit / "libcudart.so.12")
    driver = shared_object(tmp_path / "driver" / "libcuda.so.1")
    lib = tmp_path / "lib"
    shared_object(lib / "llama_cpp/lib/libggml-cuda.so", needs=[cudart, cublas, driver])
    host = elf_check.KAGGLE_CUDA.host_libs
    copied = cuda_libs.vendor(lib, [toolkit], host)
    assert sorted(line.split(" <- ")[0] for line in copied) == [
        "llama_cpp/lib/libcublas.so.12",
        "llama_cpp/lib/libcublasLt.so.12",
        "llama_cpp/lib/libcudart.so.12",
    ]
    assert elf_check.problems(elf_check.scan(lib), elf_check.KAGGLE_CUDA, lib) == []
    assert any("libcuda.so.1" in p for p in elf_check.problems(elf_check.scan(lib), POLICY, lib))
    assert cuda_libs.vendor(lib, [toolkit], host) == []  # nothing left to copy


def test_vendoring_names_a_library_the_toolkit_lacks(tmp_path: Path) -> None:
    cudart = shared_object(tmp_path / "elsewhere" / "libcudart.so.12")
    lib = tmp_path / "lib"
    shared_object(lib / "llama_cpp/lib/libggml-cuda.so", needs=[cudart])
    empty = tmp_path / "toolkit"
    empty.mkdir()
    with pytest.raises(cuda_libs.CudaError, match=r"libggml-cuda.so needs libcudart.so.12, not"):
        cuda_libs.vendor(lib, [empty], elf_check.KAGGLE.host_libs)
    shared_object(lib / "llama_cpp/lib/libggml-cuda.so", needs=[cudart], run_path=None)
    with pytest.raises(cuda_libs.CudaError, match=r"needs libcudart\.so\.12 but has no \$ORIGIN"):
        cuda_libs.vendor(lib, [cudart.parent], elf_check.KAGGLE.host_libs)


def test_check_lib_for_a_cuda_build_takes_the_driver_and_glibc_from_the_host(
    tmp_path: Path,
) -> None:
    driver = shared_object(tmp_path / "driver" / "libcuda.so.1")
    lib = tmp_path / "lib"
    shared_object(lib / "llama_cpp" / "lib" / "libggml-cuda.so", code=NEW_GLIBC_C, needs=[driver])
    with pytest.raises(runtime_deps.CheckError, match=r"needs libcuda\.so\.1"):
        runtime_deps.check_lib(lib, (3, 10))
    assert "GLIBC_2.26" in runtime_deps.check_lib(lib, (3, 10), cuda=True)
