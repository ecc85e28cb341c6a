"""Real shared objects for the ELF tests, compiled with this machine's gcc in milliseconds.

:func:`shared_object` writes a ``.so`` with a chosen soname, ``DT_NEEDED`` entries (by linking
against other such objects) and run path, and code that needs chosen symbol versions:
``reallocarray`` (GLIBC_2.26), a ``std::string`` (GLIBCXX_3.4.21, libstdc++) or an OpenMP loop
(libgomp, what a gcc build of llama.cpp needs).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

PLAIN_C = "int plain(int x) { return x + 1; }\n"
NEW_GLIBC_C = (
    "#define _GNU_SOURCE\n#include <stdlib.h>\n"
    "void *grow(void *p, size_t n) { return reallocarray(p, n, 8); }\n"
)
LIBSTDCXX_CPP = (
    '#include <string>\nstd::string joined(const std::string &a) { return a + std::string("x"); }\n'
)
OPENMP_C = (
    "void scale(float *x, int n) {\n#pragma omp parallel for\n"
    "  for (int i = 0; i < n; i++) x[i] *= 2.0f;\n}\n"
)


def shared_object(
    path: Path,
    *,
    code: str = PLAIN_C,
    cxx: bool = False,
    needs: Sequence[Path] = (),
    run_path: str | None = "$ORIGIN",
    flags: Sequence[str] = (),
) -> Path:
    """Compile ``code`` into ``path`` (soname: its file name), linked against ``needs``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = path.with_name(path.name.replace(".", "_") + (".cpp" if cxx else ".c"))
    source.write_text(code, encoding="utf-8")
    command = [
        "g++" if cxx else "gcc",
        "-shared",
        "-fPIC",
        "-O0",
        "-o",
        str(path),
        str(source),
        f"-Wl,-soname,{path.name}",
        "-Wl,--no-as-needed",
        *flags,
    ]
    if run_path is not None:
        command.append(f"-Wl,-rpath,{run_path}")
    for library in needs:
        command += [f"-L{library.parent}", f"-l:{library.name}"]
    subprocess.run(command, check=True, capture_output=True)
    source.unlink()
    return path
