#!/usr/bin/env bash
# Runs every OpenCL kernel under oclgrind, an OpenCL device simulator that checks each memory
# access. The kernel-check suite (Tests/KeelOpenCLTests/OpenCLKernelCheckTests.swift: small
# awkward shapes that reach every kernel of Kernels/*.cl) runs three times:
#   1. kernels built unoptimised (-cl-opt-disable), with the out-of-bounds, data-race and
#      uninitialised-value checks, on oclgrind's own GEMM tile (it reports a GPU: 4x4 blocks in
#      work-groups of 16x16);
#   2. the same on PoCL's CPU tile (KEEL_OPENCL_GEMM=4,8,2,4,4: 4x16 blocks, work-groups of 4x4);
#   3. kernels built as Keel builds them (optimised), with the out-of-bounds and data-race checks.
# A failing test, an oclgrind crash or any line oclgrind logs fails the script.
#
# Usage: Scripts/oclgrind.sh [swift build options]   (default: a debug build; CI can pass its
#        release flags to reuse its build). Installs oclgrind if missing. See Docs/Reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-packages.sh oclgrind
swift build "$@" --build-tests
binary="$(swift build "$@" --show-bin-path)/KeelPackageTests.xctest"
logs="$(mktemp -d)"
echo "== oclgrind $(oclgrind --version | grep -m1 Oclgrind); logs in $logs"

failed=()
# check NAME GEMM_TILE OCLGRIND_OPTION...: one run of the suite; an empty tile keeps the device's.
check() {
    local name=$1 tile=$2
    shift 2
    local log="$logs/$name.log" start=$SECONDS status=0
    echo "== $name"
    : >"$log"
    env -u KEEL_OPENCL_GEMM ${tile:+KEEL_OPENCL_GEMM=$tile} KEEL_NO_KERNEL_CACHE=1 KEEL_BACKEND=opencl:oclgrind \
        oclgrind "$@" --log "$log" "$binary" --testing-library swift-testing --filter OpenCLKernelCheckTests || status=$?
    echo "== $name: exit status $status, $((SECONDS - start)) s, $(wc -l <"$log") lines logged by oclgrind"
    if [ "$status" -ne 0 ] || [ -s "$log" ]; then
        head -n 60 "$log"
        failed+=("$name")
    fi
}

all_checks=(--check-api --data-races --uninitialized)
check unoptimised-device-tile "" --build-options -cl-opt-disable "${all_checks[@]}"
check unoptimised-cpu-tile 4,8,2,4,4 --build-options -cl-opt-disable "${all_checks[@]}"
check optimised-device-tile "" --check-api --data-races

if [ ${#failed[@]} -gt 0 ]; then
    echo "oclgrind.sh: ${failed[*]} failed; oclgrind's reports are in $logs" >&2
    exit 1
fi
echo "== oclgrind: every kernel ran clean in $SECONDS s"
