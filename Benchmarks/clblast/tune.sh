#!/bin/sh
# Re-runs CLBlast's own tuners (Debian package clblast-utils, CLBlast 1.5.3) for single precision on
# one OpenCL device and regenerates the parameter file read by clblast_sgemm.c.
#
#   Benchmarks/clblast/tune.sh [OUTPUT_FILE]
#
# Environment: PLATFORM (0), DEVICE (0), WORK (/tmp/clblast-tuning), SIZE (512: m=n=k for the
# indirect Xgemm tuner; CLBlast's default 1024 makes each of its ~1350 trials several times
# slower), ROUTINE_RUNS (5: timed runs per size in the direct/indirect switch-over tuner).
# On the 2-core EPYC with PoCL the whole script took ~33 minutes (xgemm 20 min, xgemm_direct 8 min).
# Every step has a timeout; tuners write clblast_*_32.json into $WORK.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/tuned-pocl-epyc.txt}
PLATFORM=${PLATFORM:-0}
DEVICE=${DEVICE:-0}
WORK=${WORK:-/tmp/clblast-tuning}
SIZE=${SIZE:-512}
ROUTINE_RUNS=${ROUTINE_RUNS:-5}
DEV="-platform $PLATFORM -device $DEVICE -precision 32"

mkdir -p "$WORK"
cd "$WORK"

step() { # step NAME TIMEOUT_S COMMAND...
  name=$1; limit=$2; shift 2
  echo "== $name: $*" >&2
  start=$(date +%s)
  # stdbuf: the tuners print progress with printf; keep the log line-buffered.
  timeout "$limit" stdbuf -oL "$@" > "$name.log" 2>&1 || { echo "$name failed, see $WORK/$name.log" >&2; exit 1; }
  echo "   $name took $(( $(date +%s) - start )) s" >&2
}

# 1. Indirect GEMM kernel "Xgemm": 4 variations in one run (GEMMK=0 exhaustive 578 configs,
#    GEMMK=0 random 1/512 of 120800, GEMMK=1 exhaustive 407, GEMMK=1 random 1/128 of 16566).
#    -fraction would apply to all four variations at once, so the defaults are kept.
step xgemm 2700 clblast_tuner_xgemm $DEV -m "$SIZE" -n "$SIZE" -k "$SIZE"
# 2. Direct GEMM kernel "XgemmDirect" (defaults m=n=k=256; exhaustive + random variation).
step xgemm_direct 1200 clblast_tuner_xgemm_direct $DEV
# 3. Helper kernels of the indirect path (copy/pad/transpose of A, B, C when sizes are not
#    multiples of the Xgemm tile sizes, e.g. k=784).
step copy_fast 600 clblast_tuner_copy_fast $DEV
step copy_pad 600 clblast_tuner_copy_pad $DEV
step transpose_fast 600 clblast_tuner_transpose_fast $DEV
step transpose_pad 600 clblast_tuner_transpose_pad $DEV

# 4. Direct/indirect switch-over ("GemmRoutine" XGEMM_MIN_INDIRECT_SIZE), timed for m=n=k=64..2048
#    with the kernels tuned above. That tuner only reads clblast_xgemm_1_32.json and
#    clblast_xgemm_direct_1_32.json (+copy/pad/...) from its working directory, so hand it the
#    best result of all variations.
python3 "$HERE/tuner_json_to_params.py" "$WORK" --routine-dir "$WORK/routine" -o /dev/null
cd "$WORK/routine"
step routine_xgemm 1200 clblast_tuner_routine_xgemm $DEV -runs "$ROUTINE_RUNS"
cp clblast_gemm_routine_32.json "$WORK/"
cd "$WORK"

# 5. Parameter file for clblast_sgemm.c
python3 "$HERE/tuner_json_to_params.py" "$WORK" -o "$OUT"
echo "wrote $OUT" >&2
