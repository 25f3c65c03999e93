#!/usr/bin/env bash
# SemanticDraw set-up: installs what is missing, builds into build/, then
#   ./setup.sh run [ARGS]   launches the paint program (ARGS go to semdraw)
#   ./setup.sh test         runs every test (ctest)
#   ./setup.sh build        only builds
# Idempotent: with everything present it downloads nothing and builds
# incrementally. Environment knobs (README "Set-up details"):
#   SEMDRAW_CUDA=1      install torch with its CUDA libraries and build for CUDA
#   Torch_DIR=...       use an existing LibTorch instead of .venv/
#   SEMDRAW_JOBS=N      parallel build jobs (default: all cores)
#   CTEST_PARALLEL_LEVEL=N  tests run at once by `test` (default: SEMDRAW_JOBS)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

mode=${1:-build}
[ $# -gt 0 ] && shift
case "$mode" in run|test|build) ;; *) echo "usage: ./setup.sh run|test|build [ARGS]" >&2; exit 2 ;; esac

# Pinned so every machine builds against the same LibTorch.
TORCH_VERSION=2.15.0
CUDA_RT_VERSION=13.2.86   # the libcudart/libcupti that libtorch_cpu.so was linked against
JOBS=${SEMDRAW_JOBS:-$(nproc)}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------
packages=(cmake ninja-build g++ pkg-config ccache python3 python3-venv
          qt6-base-dev libqt6opengl6-dev libgl-dev libopencv-dev libsentencepiece-dev
          nlohmann-json3-dev libgtest-dev libzip-dev xvfb xauth
          libgl1-mesa-dri libglx-mesa0 libegl-mesa0)  # Mesa (llvmpipe): OpenGL canvas under Xvfb
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- 2. LibTorch from the torch wheel, into .venv/ -----------------------------
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=Release)
if [ -n "${Torch_DIR:-}" ]; then
  say "using the LibTorch at Torch_DIR=$Torch_DIR"
  cmake_args+=(-DTorch_DIR="$Torch_DIR")
else
  if [ "${SEMDRAW_CUDA:-0}" = 1 ]; then
    want="torch==$TORCH_VERSION (with CUDA libraries)"
    cmake_args+=(-DSEMDRAW_WITH_CUDA=ON)
  else
    want="torch==$TORCH_VERSION cpu-only nvidia-cuda-runtime==$CUDA_RT_VERSION nvidia-cuda-cupti==$CUDA_RT_VERSION"
  fi
  stamp=.venv/.semdraw-torch
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing LibTorch into .venv/: $want"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    if [ "${SEMDRAW_CUDA:-0}" = 1 ]; then
      .venv/bin/pip install -q "torch==$TORCH_VERSION"
    else
      # Only the C++ libraries are used, so the wheel's Python dependencies
      # and its multi-gigabyte CUDA stack are skipped (see cmake/SemdrawTorch.cmake).
      .venv/bin/pip install -q --no-deps "torch==$TORCH_VERSION" \
        "nvidia-cuda-runtime==$CUDA_RT_VERSION" "nvidia-cuda-cupti==$CUDA_RT_VERSION"
    fi
    echo "$want" > "$stamp"
  fi
fi

# --- 3. Configure and build ----------------------------------------------------
if [ ! -f build/build.ninja ]; then
  say "configuring build/"
  cmake -S . -B build "${cmake_args[@]}"
fi
say "building (jobs: $JOBS)"
cmake --build build -j "$JOBS"

# --- 4. Run or test ------------------------------------------------------------
case "$mode" in
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "No display (DISPLAY is unset). Start the program on a desktop, or under a virtual one:" >&2
      echo "  xvfb-run -a -s '-screen 0 1600x1000x24' ./setup.sh run" >&2
      exit 1
    fi
    exec build/bin/semdraw "$@" ;;
  test)
    say "running the tests"
    # CTEST_PARALLEL_LEVEL, when set, chooses how many tests run at once.
    ctest --test-dir build --output-on-failure -j "${CTEST_PARALLEL_LEVEL:-$JOBS}" --timeout 1500 ;;
  build) ;;
esac
