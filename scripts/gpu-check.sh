#!/usr/bin/env bash
# The GPU check: builds the engine for CUDA, runs the network and pipeline
# parity suites on the GPU in fp32 and fp16, makes the SD1.5-shaped seeded
# model and benchmarks the live stream and one-shot renders on it. Meant for a
# short session on a GPU machine that has python3 with torch (LibTorch with
# CUDA), CMake, Ninja and nvcc but no network and maybe no nlohmann/json or
# GoogleTest (docs/PERFORMANCE.md, "GPU check (next GPU session)"):
#
#   bash scripts/gpu-check.sh --prepare   # here, once: copies nlohmann/json and
#                                         # GoogleTest sources into .gpu-deps/
#   bash scripts/gpu-check.sh             # there, from the repository root,
#                                         # with .gpu-deps/ carried along
#
# Everything lands in $OUT (default ./gpu-check-out): summary.txt, env.txt,
# build.log, parity-fp32.log, parity-fp16.log, make-model.log, bench.jsonl,
# bench.log -- eight files, what the device tool brings back. Every step is
# time-boxed against one budget (SEMDRAW_GPU_CHECK_BUDGET_S, default 480 s), so
# a hang costs its box, not the session. Expected on an H100 with 16 cores:
# about 5 minutes (configure ~1, build ~3, tests and benchmark ~1).
#
# Knobs (environment):
#   SEMDRAW_GPU_CHECK_DEVICE   cuda (default) | cpu: the CPU rehearsal of the
#                              same plumbing (CPU build, tiny model, small bench)
#   SEMDRAW_GPU_CHECK_MODEL    sd15 (default on cuda) | tiny (default on cpu)
#   SEMDRAW_GPU_CHECK_FILTER   gtest filter for the parity runs (default: all
#                              device-aware suites)
#   SEMDRAW_GPU_CHECK_BUILD    build folder (default build-gpu)
#   SEMDRAW_GPU_CHECK_JOBS     build jobs (default: all cores)
#   SEMDRAW_GPU_CHECK_BUDGET_S total seconds for all steps (default 480)
#   SEMDRAW_GPU_CHECK_BENCH    extra arguments for `semdraw-cli bench`
#   SEMDRAW_GPU_CHECK_DTYPES   parity dtypes, in order (default "fp32 fp16"; bf16 also works)
#   SEMDRAW_GPU_CHECK_COMPARE  arguments of the second benchmark run (default "--cuda-graphs off")
#   Torch_DIR                  LibTorch's cmake folder (default: from python3's torch)
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
ROOT=$PWD

if [ "${1:-}" = "--prepare" ]; then
  # Copies what the GPU machine may lack from this machine's Debian packages
  # (nlohmann-json3-dev, libgtest-dev; ./setup.sh installs both).
  set -e
  rm -rf .gpu-deps
  mkdir -p .gpu-deps/include .gpu-deps/googletest
  cp -r /usr/include/nlohmann .gpu-deps/include/
  cp /usr/src/googletest/CMakeLists.txt .gpu-deps/googletest/
  mkdir -p .gpu-deps/googletest/googletest
  cp -r /usr/src/googletest/googletest/{CMakeLists.txt,cmake,include,src} .gpu-deps/googletest/googletest/
  echo "prepared .gpu-deps/ ($(du -sh .gpu-deps | cut -f1)); carry it: run(command=\"bash scripts/gpu-check.sh\", carry=[\".gpu-deps\"], timeout_s=540)"
  exit 0
fi

DEVICE=${SEMDRAW_GPU_CHECK_DEVICE:-cuda}
case "$DEVICE" in cuda|cpu) ;; *) echo "SEMDRAW_GPU_CHECK_DEVICE must be cuda or cpu" >&2; exit 2 ;; esac
if [ "$DEVICE" = cuda ]; then default_model=sd15; else default_model=tiny; fi
MODEL=${SEMDRAW_GPU_CHECK_MODEL:-$default_model}
FILTER=${SEMDRAW_GPU_CHECK_FILTER:-'UNetParity.*:UNetGraphParity.*:ClipTextParity.*:ClipTextProjectionParity.*:SdxlPromptParity.*:SdxlPipelineParity.*:AutoencoderKLParity.*:TaesdParity.*:Golden/StreamParity.*:Golden/OneShotParity.*'}
BUILD=${SEMDRAW_GPU_CHECK_BUILD:-build-gpu}
JOBS=${SEMDRAW_GPU_CHECK_JOBS:-$(nproc)}
BUDGET=${SEMDRAW_GPU_CHECK_BUDGET_S:-480}
OUT=${OUT:-$ROOT/gpu-check-out}
mkdir -p "$OUT"
MODEL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/semdraw-gpu-check-model.XXXXXX")
trap 'rm -rf "$MODEL_DIR"' EXIT

SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
note() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
left() { echo $((BUDGET - SECONDS)); }
# step NAME BOX LOG CMD...: runs CMD under `timeout` for at most BOX seconds
# (less when the budget is nearly spent), appends its output to LOG, records
# the outcome in the summary. Returns CMD's status (124: timed out).
step() {
  local name=$1 box=$2 log=$3
  shift 3
  local remaining
  remaining=$(($(left) - 15))
  if [ "$remaining" -lt 10 ] || [ "$box" -lt 1 ]; then
    note "SKIP  $name: out of time (budget ${BUDGET}s)"
    return 125
  fi
  [ "$box" -gt "$remaining" ] && box=$remaining
  local start=$SECONDS status
  echo "==> $name (at most ${box}s): $*" >>"$log"
  timeout --kill-after=10 "$box" "$@" >>"$log" 2>&1
  status=$?
  local took=$((SECONDS - start))
  if [ "$status" -eq 0 ]; then
    note "OK    $name (${took}s)"
    return 0
  elif [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    note "TIME  $name: stopped after ${took}s (box ${box}s), see $(basename "$log")"
  else
    note "FAIL  $name: exit $status after ${took}s, see $(basename "$log")"
  fi
  if grep -qE '^ *[0-9]+ FAILED TESTS?$' "$log"; then
    # GoogleTest finished: the first failures say why (the caller lists them all).
    grep -m 3 -A 3 -E ': Failure$|C\+\+ exception' "$log" | cut -c1-300 | sed 's/^/      | /' | tee -a "$SUMMARY"
  else
    tail -n 25 "$log" | cut -c1-300 | sed 's/^/      | /' | tee -a "$SUMMARY"
  fi
  return "$status"
}

note "gpu-check: device=$DEVICE model=$MODEL build=$BUILD jobs=$JOBS budget=${BUDGET}s ($(date -u +%FT%TZ), $(git rev-parse --short HEAD 2>/dev/null || echo 'no git'))"

# --- environment ----------------------------------------------------------------
ENV_LOG=$OUT/env.txt
if [ "$DEVICE" = cuda ] && ! command -v nvcc >/dev/null 2>&1; then
  for dir in /usr/local/cuda/bin /usr/local/cuda-*/bin /opt/cuda/bin; do
    if [ -x "$dir/nvcc" ]; then export PATH="$dir:$PATH"; break; fi
  done
fi
{
  echo "uname: $(uname -srm)"
  echo "nproc: $(nproc)"
  command -v nvidia-smi >/dev/null && timeout 20 nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv
  echo "nvcc: $(command -v nvcc || echo none) $(nvcc --version 2>/dev/null | tail -1)"
  echo "cmake: $(cmake --version | head -1); ninja: $(ninja --version 2>/dev/null || echo none)"
  echo "c++: $(c++ --version | head -1)"
  echo "python3: $(command -v python3)"
  timeout 60 python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available()); print("cmake_prefix_path", torch.utils.cmake_prefix_path)' 2>&1
  echo "nlohmann/json installed: $([ -f /usr/include/nlohmann/json.hpp ] && echo yes || echo no); .gpu-deps: $([ -d .gpu-deps ] && echo yes || echo no)"
} >"$ENV_LOG" 2>&1
grep -E '^(torch|nvcc|NVIDIA|name)' "$ENV_LOG" | head -3 | sed 's/^/      /' | tee -a "$SUMMARY"

if [ ! -d .gpu-deps ] && [ ! -f /usr/include/nlohmann/json.hpp ]; then
  note "NOTE  no .gpu-deps/ and no system nlohmann/json: configure will likely fail (run 'bash scripts/gpu-check.sh --prepare' before, and carry .gpu-deps)"
fi

# --- configure and build ----------------------------------------------------------
BUILD_LOG=$OUT/build.log
: >"$BUILD_LOG"
cmake_args=(-S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSEMDRAW_ENGINE_ONLY=ON
            -DCMAKE_POLICY_VERSION_MINIMUM=3.5)
if [ "$DEVICE" = cuda ]; then
  if [ -z "${Torch_DIR:-}" ]; then
    prefix=$(timeout 60 python3 -c 'import torch.utils; print(torch.utils.cmake_prefix_path)' 2>>"$BUILD_LOG")
    Torch_DIR=${prefix:+$prefix/Torch}
  fi
  # We compile no CUDA code; LibTorch's CMake config still enables CUDA and
  # picks nvcc arch flags, detecting the GPUs at configure time unless told:
  # Hopper only (H100/H200), which also keeps any CUDA compile short.
  export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
  cmake_args+=(-DSEMDRAW_WITH_CUDA=ON -DTorch_DIR="$Torch_DIR")
  command -v nvcc >/dev/null && cmake_args+=(-DCMAKE_CUDA_COMPILER="$(command -v nvcc)")
  note "      Torch_DIR=${Torch_DIR:-none found}"
elif [ -n "${Torch_DIR:-}" ]; then
  cmake_args+=(-DTorch_DIR="$Torch_DIR")
fi
built=0
if step configure 150 "$BUILD_LOG" cmake "${cmake_args[@]}" &&
   step build 330 "$BUILD_LOG" cmake --build "$BUILD" -j "$JOBS" --target semdraw-cli engine_parity_tests; then
  built=1
  grep -E 'LibTorch:|CUDA detected|nvcc is|GoogleTest:|nlohmann/json:' "$BUILD_LOG" | sed 's/^-- /      /' | tee -a "$SUMMARY"
fi
CLI=$BUILD/bin/semdraw-cli
TESTS=$BUILD/bin/engine_parity_tests

if [ "$built" = 1 ]; then
  step "device probe" 30 "$OUT/env.txt" "$CLI" device
  tail -n 1 "$OUT/env.txt" | sed 's/^/      /' | tee -a "$SUMMARY"

  # The seeded model is CPU work: make it while the GPU runs the parity suites.
  # (Writes into $MODEL_DIR, outside $OUT: 2 GB for sd15.)
  make_model_box=$(($(left) - 60))
  [ "$make_model_box" -gt 240 ] && make_model_box=240
  step "make-model $MODEL" "$make_model_box" "$OUT/make-model.log" \
    "$CLI" make-model --preset "$MODEL" --seed 1 --out "$MODEL_DIR/$MODEL" &
  make_model_pid=$!

  # --- parity on the device, fp32 then fp16 -----------------------------------------
  for dtype in ${SEMDRAW_GPU_CHECK_DTYPES:-fp32 fp16}; do
    log=$OUT/parity-$dtype.log
    : >"$log"
    step "parity $DEVICE $dtype" 150 "$log" env SEMDRAW_TEST_DEVICE="$DEVICE" SEMDRAW_TEST_DTYPE="$dtype" \
      "$TESTS" --gtest_filter="$FILTER" --gtest_color=no
    # The totals, and each failed test once (the lines without a time).
    grep -E '^\[==========\] .* ran|^\[  (PASSED|FAILED|SKIPPED) +\]' "$log" | grep -v ' ms)$' |
      sed 's/^/      /' | tee -a "$SUMMARY"
    # The measured errors against the goldens, as the tests print them.
    grep -E '^\[(unet )?parity|^\[unet graphs|^[a-z_]+ \[[a-z]+ (fp|bf)[0-9]+\]:|vs diffusers|UNet calls:' "$log" | sed 's/^/        /' | tee -a "$SUMMARY"
  done

  wait "$make_model_pid"
  grep -E '^(OK|FAIL|TIME|SKIP) +make-model' "$SUMMARY" >/dev/null || note "FAIL  make-model: no result"

  # --- benchmark ----------------------------------------------------------------------
  if [ -f "$MODEL_DIR/$MODEL/model_index.json" ]; then
    if [ "$DEVICE" = cuda ]; then
      bench_args=(--size 512 --regions "1,3" --warmup 5 --frames 30 --renders 5)
    else
      bench_args=(--size 128 --regions "1,3" --warmup 4 --frames 3 --renders 2)
    fi
    # shellcheck disable=SC2206  # word splitting of the extra arguments is intended
    bench_args+=(${SEMDRAW_GPU_CHECK_BENCH:-})
    : >"$OUT/bench.log"
    # As the app runs (UNet from CUDA graphs, fp16), then with the comparison's
    # arguments (default: op by op).
    compare=${SEMDRAW_GPU_CHECK_COMPARE:---cuda-graphs off}
    step bench 150 "$OUT/bench.log" "$CLI" bench --model "$MODEL_DIR/$MODEL" --device "$DEVICE" "${bench_args[@]}"
    # shellcheck disable=SC2086  # word splitting of the comparison's arguments is intended
    step "bench $compare" 120 "$OUT/bench.log" "$CLI" bench --model "$MODEL_DIR/$MODEL" --device "$DEVICE" \
      $compare "${bench_args[@]}"
    grep '^{"bench"' "$OUT/bench.log" >"$OUT/bench.jsonl"
    if command -v python3 >/dev/null; then
      python3 - "$OUT/bench.jsonl" <<'PY' | tee -a "$SUMMARY"
import json, sys
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    mem = r.get("peak_device_mib")
    mem = f"{mem:.0f} MiB GPU" if mem is not None else f"{r.get('peak_host_rss_mib', 0):.0f} MiB host RSS"
    if r["bench"] == "load":
        print(f"      load  {r['device']} {r['dtype']} {r.get('gpu') or ''}: {r['ms']:.0f} ms, {mem}")
        continue
    calls = r.get("unet_calls", {})
    how = (f"graphs: {calls.get('graph_captures')} captured, {calls.get('graph_replays')} replays, {calls.get('eager')} eager"
           if calls.get("cuda_graphs") else f"op by op ({calls.get('eager')} calls)")
    print(f"      {r['bench']:6} {r['dtype']} {r['regions']} region(s) {r['width']}x{r['height']}: {r['fps']:.2f}/s,"
          f" median {r['ms_median']:.1f} ms, p90 {r['ms_p90']:.1f} ms (denoise {r['denoise_ms_median']:.1f},"
          f" decode {r['decode_ms_median']:.1f}), {mem}, x_reference {r['x_reference']}; {how}")
PY
    else
      sed 's/^/      /' "$OUT/bench.jsonl" | tee -a "$SUMMARY"
    fi
  else
    note "SKIP  bench: no model"
  fi
fi

note "done in ${SECONDS}s; results in $OUT: $(cd "$OUT" && echo *)"
if grep -qE '^(FAIL|TIME|SKIP) ' "$SUMMARY"; then exit 1; fi
exit 0
