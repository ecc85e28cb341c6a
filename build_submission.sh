#!/usr/bin/env bash
# Build submission.tar.gz for Kaggle's LLM 20 Questions in one command (see README, "Submission").
#
#   llama-cpp-python wheel  built once per flavour into the wheelhouse, then reused
#                           (llm20q/submission/llama_wheel.py: portable zig build by default)
#   lib/                    requirements/runtime.lock installed with pip --no-deps --target from
#                           wheel files only: no resolver ever looks at this machine's packages
#   main.py agent/ prompts/ models/<gguf> knowledge/   the repo's own files; main.py puts lib/ first
#   submission.tar.gz       sorted names, fixed mtimes, no caches/tests/.pyc: same inputs, same sha256
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: build_submission.sh [options]

  --model PATH           GGUF to ship in models/ (default: models/SmolLM2-135M-Instruct.Q4_1.gguf)
  --out FILE             archive to write (default: submission.tar.gz)
  --cuda                 the T4 build: llama-cpp-python with CUDA (needs the CUDA toolkit, as in a
                         Kaggle GPU notebook), its CUDA runtime libraries vendored into lib/
  --cuda-arch LIST       CUDA architectures for --cuda (default: 75, the T4; e.g. 75,86)
  --flavour NAME         llama-cpp-python build: portable (default: zig, glibc 2.17, loads on any
                         Linux), gcc (this machine's gcc and glibc), cuda (= --cuda)
  --cmake-args "ARGS"    more CMake arguments for the llama-cpp-python wheel (own wheelhouse folder)
  --llama-wheel FILE     use this llama-cpp-python wheel instead of building one
  --python-version X.Y   CPython that runs the submission (default: 3.10, Kaggle's)
  --knowledge DIR        knowledge folder to ship as knowledge/ (default: knowledge/ when present)
  --no-knowledge         ship no knowledge folder
  --stage DIR            folder the archive is assembled in (default: submission; emptied first)
  -h, --help             this message

Environment: BUILD_PYTHON (default .venv/bin/python, else python3) runs pip and the helpers;
WHEELHOUSE (default ~/.cache/llm20q/wheelhouse) caches the wheels, the sdist and the build tools
(zig, pyelftools: installed there with pip --target, never into BUILD_PYTHON's packages);
CUDA_HOME or CUDACXX name the CUDA toolkit; SOURCE_DATE_EPOCH sets the archive's mtimes (default
1980-01-01). Needs no project set-up: any Python 3 with pip, e.g. a Kaggle notebook's.
EOF
}

die() {
  echo "build_submission.sh: error: $*" >&2
  exit 1
}

abspath() {  # an absolute path for $1, relative to the caller's folder
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODEL="$ROOT/models/SmolLM2-135M-Instruct.Q4_1.gguf"
OUT="$ROOT/submission.tar.gz"
STAGE="$ROOT/submission"
FLAVOUR="portable"
CUDA_ARCH="75"
EXTRA_CMAKE_ARGS=""
CMAKE_GIVEN=0
LLAMA_WHEEL=""
PY_VERSION="3.10"  # Kaggle's simulation image
KNOWLEDGE="auto"

while (($#)); do
  case "$1" in
    --model | --out | --cmake-args | --llama-wheel | --python-version | --knowledge | --stage \
      | --flavour | --cuda-arch)
      (($# >= 2)) || die "$1 needs a value (see --help)"
      case "$1" in
        --model) MODEL=$(abspath "$2") ;;
        --out) OUT=$(abspath "$2") ;;
        --cmake-args) EXTRA_CMAKE_ARGS="$2"; CMAKE_GIVEN=1 ;;
        --flavour) FLAVOUR="$2" ;;
        --cuda-arch) CUDA_ARCH="$2" ;;
        --llama-wheel) LLAMA_WHEEL=$(abspath "$2") ;;
        --python-version) PY_VERSION="$2" ;;
        --knowledge) KNOWLEDGE=$(abspath "$2") ;;
        --stage) STAGE=$(abspath "$2") ;;
      esac
      shift 2
      ;;
    --no-knowledge) KNOWLEDGE="none"; shift ;;
    --cuda) FLAVOUR="cuda"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

cd "$ROOT"
STARTED=$SECONDS
if [[ -n "${BUILD_PYTHON:-}" ]]; then
  PY="$BUILD_PYTHON"
elif [[ -x "$ROOT/.venv/bin/python" ]]; then
  PY="$ROOT/.venv/bin/python"
else
  PY=python3
fi
command -v "$PY" >/dev/null || die "no Python at $PY (run make setup or set BUILD_PYTHON)"
PIP=("$PY" -m pip --disable-pip-version-check --no-input --quiet)
DEPS=("$PY" -m llm20q.submission.runtime_deps)  # run from $ROOT: stdlib + packaging only
LOCK="$ROOT/requirements/runtime.lock"
WHEELHOUSE="${WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/llm20q/wheelhouse}"

# ---------------------------------------------------------------- inputs
[[ -f "$MODEL" ]] || die "model not found: $MODEL (run make setup, or pass --model PATH)"
[[ "$(head -c 4 "$MODEL")" == "GGUF" ]] || die "not a GGUF file (bad magic): $MODEL"
case "$KNOWLEDGE" in
  auto) if [[ -d "$ROOT/knowledge" ]]; then KNOWLEDGE="$ROOT/knowledge"; else KNOWLEDGE="none"; fi ;;
  none) ;;
  *) [[ -d "$KNOWLEDGE" ]] || die "knowledge folder not found: $KNOWLEDGE" ;;
esac
[[ "$STAGE" != "$ROOT" && "$STAGE" != "/" ]] || die "--stage must be a folder of its own"
if [[ -d "$STAGE" ]]; then  # it is emptied below: only ever a previous stage
  for entry in "$STAGE"/* "$STAGE"/.[!.]*; do
    [[ -e "$entry" ]] || continue
    case "${entry##*/}" in
      main.py | agent | prompts | models | knowledge | lib) ;;
      *) die "refusing to empty $STAGE: it holds ${entry##*/}, so it is not a previous stage" ;;
    esac
  done
fi
case "$FLAVOUR" in
  portable | gcc | cuda) ;;
  *) die "--flavour must be portable, gcc or cuda, got '$FLAVOUR'" ;;
esac
[[ "$PY_VERSION" =~ ^3\.[0-9]+$ ]] || die "--python-version must look like 3.10, got '$PY_VERSION'"
export WHEELHOUSE  # the helpers keep their tools (pyelftools, zig) beside it
LLAMA_PIN=$("${DEPS[@]}" --python-version "$PY_VERSION" select "$LOCK" | grep -i '^llama[-_]cpp[-_]python==') \
  || die "$LOCK has no llama-cpp-python pin"
LLAMA_VERSION="${LLAMA_PIN#*==}"

# Wheel filters for pip: CPython $PY_VERSION on glibc x86_64 (manylinux up to glibc 2.28).
TARGET=(--python-version "$PY_VERSION" --implementation cp --only-binary=:all:
  --platform linux_x86_64 --platform manylinux2014_x86_64)
for minor in $(seq 28 -1 17); do TARGET+=(--platform "manylinux_2_${minor}_x86_64"); done

# ---------------------------------------------------------------- llama-cpp-python wheel
if [[ -n "$LLAMA_WHEEL" ]]; then
  ((CMAKE_GIVEN == 0)) || die "--cmake-args and --llama-wheel exclude each other"
  [[ -f "$LLAMA_WHEEL" ]] || die "wheel not found: $LLAMA_WHEEL"
else
  # The one builder (llm20q/submission/llama_wheel.py): the flavour's wheel from the wheelhouse,
  # built first when missing; a missing CUDA toolkit is one error line before anything is built.
  LLAMA_WHEEL=$("$PY" -m llm20q.submission.llama_wheel --flavour "$FLAVOUR" --cuda-arch "$CUDA_ARCH" \
    --cmake-args "$EXTRA_CMAKE_ARGS" --version "$LLAMA_VERSION" --wheelhouse "$WHEELHOUSE") || exit 1
fi
case "$(basename "$LLAMA_WHEEL")" in
  llama_cpp_python-"$LLAMA_VERSION"-*.whl) ;;
  *) die "$(basename "$LLAMA_WHEEL") is not llama-cpp-python $LLAMA_VERSION (the version in $LOCK)" ;;
esac
# One line and exit 1 for a wheel built for another Python: its tags, and the binaries inside
# (CPython extension modules, libpython) since a py3-none tag says nothing about them.
"${DEPS[@]}" --python-version "$PY_VERSION" check-wheel "$LLAMA_WHEEL" || exit 1

# ---------------------------------------------------------------- runtime wheels
RUNTIME_DIR="$WHEELHOUSE/runtime"
listing=$("${DEPS[@]}" --python-version "$PY_VERSION" wheels "$LOCK" --wheel-dir "$RUNTIME_DIR" \
  --skip llama-cpp-python --missing) || exit 1
if [[ -n "$listing" ]]; then
  mapfile -t missing <<<"$listing"
  echo "downloading ${#missing[@]} runtime wheels for CPython $PY_VERSION into $RUNTIME_DIR"
  mkdir -p "$RUNTIME_DIR"
  "${PIP[@]}" download --no-deps "${TARGET[@]}" --dest "$RUNTIME_DIR" "${missing[@]}" \
    || die "could not download ${missing[*]} for CPython $PY_VERSION (needs PyPI once)"
fi
listing=$("${DEPS[@]}" --python-version "$PY_VERSION" wheels "$LOCK" --wheel-dir "$RUNTIME_DIR" \
  --skip llama-cpp-python) || exit 1
mapfile -t wheels <<<"$listing"
"${DEPS[@]}" --python-version "$PY_VERSION" check-wheel "${wheels[@]}" || exit 1
wheels+=("$LLAMA_WHEEL")

# ---------------------------------------------------------------- stage
rm -rf "$STAGE"
mkdir -p "$STAGE/lib" "$STAGE/models"
"${PIP[@]}" install --no-deps --no-index --no-compile --target "$STAGE/lib" "${TARGET[@]}" \
  "${wheels[@]}" || die "pip install --target $STAGE/lib failed"
# Not importable, not needed at run time: console scripts (with this machine's shebang), the
# headers/CMake/pkg-config files and unversioned .so copies llama-cpp-python's wheel puts at its
# root, bytecode, the packages' own tests, and pip's record of where the wheels lay on this machine.
rm -rf "$STAGE/lib/bin" "$STAGE/lib/include" "$STAGE/lib/lib" "$STAGE/lib/share"
find "$STAGE/lib" -depth \( -name __pycache__ -o -name tests \) -type d -exec rm -rf {} +
find "$STAGE/lib" \( -name '*.pyc' -o -name direct_url.json \) -type f -delete
LIB_CHECK=()
if [[ "$FLAVOUR" == cuda ]]; then
  # The CUDA runtime libraries the wheel needs (libcudart, libcublas, ...) go beside it (RPATH
  # $ORIGIN); the driver's libcuda.so.1 is the host's.
  "$PY" -m llm20q.submission.cuda_libs "$STAGE/lib" || exit 1
  LIB_CHECK=(--cuda)
fi
"${DEPS[@]}" --python-version "$PY_VERSION" check-lib "$STAGE/lib" "${LIB_CHECK[@]}" || exit 1

# What plays: main.py, the agent package and its prompts (the workbench's baseline prompts stay).
cp main.py "$STAGE/main.py"
cp -R agent "$STAGE/agent"
mkdir -p "$STAGE/prompts"
find prompts -maxdepth 1 -name '*.txt' ! -name 'baseline.*' -exec cp {} "$STAGE/prompts/" \;
find "$STAGE/agent" -depth -name __pycache__ -type d -exec rm -rf {} +
ln -L "$MODEL" "$STAGE/models/$(basename "$MODEL")" 2>/dev/null || cp "$MODEL" "$STAGE/models/"
# The model's card (agent/model/card.py: its calibrated yes threshold) ships beside it.
card=$(grep -l "\"file\": \"$(basename "$MODEL")\"" "$(dirname "$MODEL")"/cards/*.json 2>/dev/null | head -1 || true)
if [[ -n "$card" ]]; then
  mkdir -p "$STAGE/models/cards" && cp "$card" "$STAGE/models/cards/"
fi
if [[ "$KNOWLEDGE" != "none" ]]; then
  cp -RL "$KNOWLEDGE" "$STAGE/knowledge"  # -L: a symlinked folder ships as its files
fi
contents="main.py, agent/, prompts/, models/$(basename "$MODEL")${card:+ and its card}"
[[ "$KNOWLEDGE" == "none" ]] || contents+=", knowledge/ (from $KNOWLEDGE)"
echo "staged $STAGE: $contents, lib/ for CPython $PY_VERSION:"
dists=("$STAGE"/lib/*.dist-info)
dists=("${dists[@]##*/}")
echo "  ${dists[*]%.dist-info}"
echo "  llama-cpp-python ($FLAVOUR): $LLAMA_WHEEL"

# ---------------------------------------------------------------- pack
mkdir -p "$(dirname "$OUT")"
"$PY" -m llm20q.submission.pack "$STAGE" "$OUT"
echo "built in $((SECONDS - STARTED)) s"
