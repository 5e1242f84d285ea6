#!/usr/bin/env bash
# Proves the CPU-only promise: a package that depends on Keel's `Keel` product alone neither
# compiles KeelOpenCL/COpenCL nor links the OpenCL loader. Builds `digits` without traits (debug)
# in its own scratch directory and fails unless
#   (a) no KeelOpenCL or COpenCL module, object or precompiled module is in that directory and
#       none of KeelOpenCL's objects is on the link line, and
#   (b) the binary's dynamic section does not need libOpenCL,
# then runs it on the CPU and checks that `--backend opencl` is refused.
#
# With --opencl it also builds the OpenCL variant (`--traits OpenCL`, needs the OpenCL headers and
# loader) in a second scratch directory, checks that the same tests do see OpenCL there, so that
# they are not passing by looking in the wrong place, and runs it on `--backend opencl`.
#
# Linux only (readelf). Usage: Examples/EmbeddingTool/check-cpu-only.sh [--opencl]
set -euo pipefail
cd "$(dirname "$0")"

with_opencl=false
case "${1:-}" in
    "") ;;
    --opencl) with_opencl=true ;;
    *) echo "check-cpu-only.sh: unknown argument '$1': use no argument or --opencl" >&2; exit 2 ;;
esac
command -v readelf >/dev/null || { echo "check-cpu-only.sh: readelf not found: install binutils" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Builds into $1 with the remaining arguments and fails on any warning.
build() {
    local directory=$1; shift
    echo "== swift build --scratch-path $directory${*:+ $*}"
    swift build --scratch-path "$directory" "$@" 2>&1 | tee "$scratch/build.log"
    if grep -q "warning:" "$scratch/build.log"; then fail "the build has warnings (above)"; fi
}

# The OpenCL artefacts a build directory holds. SwiftPM plans every target of a dependency, so an
# output map under KeelOpenCL.build is normal; compiled modules and objects are not.
opencl_artefacts() {
    find "$1" \( -name 'KeelOpenCL.swiftmodule' -o -name 'COpenCL*.pcm' -o -path '*/KeelOpenCL.build/*.o' \) -print
    grep -h 'KeelOpenCL' "$1"/debug/digits.product/Objects.LinkFileList || true
}

# The shared libraries an ELF binary needs, one a line.
needed_libraries() {
    readelf -d "$1" >"$scratch/dynamic" || fail "readelf cannot read $1"
    sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' "$scratch/dynamic"
}

cpu_only=.build-cpu-only
build "$cpu_only"
found=$(opencl_artefacts "$cpu_only")
[ -z "$found" ] || fail "(a) the CPU-only build compiled or linked OpenCL code (if $cpu_only was once built with --traits, remove it):"$'\n'"$found"
echo "(a) no KeelOpenCL or COpenCL module, object or link input in $cpu_only"
libraries=$(needed_libraries "$cpu_only/debug/digits")
[ -n "$libraries" ] || fail "(b) found no NEEDED entries in $cpu_only/debug/digits"
if grep -i 'libOpenCL' <<<"$libraries"; then fail "(b) the CPU-only binary needs the OpenCL loader (above)"; fi
echo "(b) $cpu_only/debug/digits does not need libOpenCL; it needs:" $libraries

echo "== run on cpu"
"$cpu_only/debug/digits" --backend cpu --epochs 3 --checkpoint "$scratch/digits.safetensors"
if "$cpu_only/debug/digits" --backend opencl --epochs 1 --checkpoint "$scratch/refused.safetensors" 2>"$scratch/refused.log"; then
    fail "the CPU-only binary accepted --backend opencl"
fi
grep -q "unknown backend 'opencl'" "$scratch/refused.log" || fail "--backend opencl failed for another reason: $(cat "$scratch/refused.log")"
[ ! -e "$scratch/refused.safetensors" ] || fail "the refused run wrote a checkpoint"
echo "the CPU-only binary refuses --backend opencl: $(cat "$scratch/refused.log")"

if $with_opencl; then
    with=.build-opencl
    build "$with" --traits OpenCL
    [ -n "$(opencl_artefacts "$with")" ] || fail "the check for OpenCL artefacts finds none even in the OpenCL build"
    [[ $(needed_libraries "$with/debug/digits") == *libOpenCL* ]] || fail "the OpenCL build does not need libOpenCL, so check (b) proves nothing"
    echo "the same checks find KeelOpenCL and libOpenCL in the OpenCL variant"
    echo "== run on opencl"
    "$with/debug/digits" --backend opencl --epochs 3 --checkpoint "$scratch/digits-opencl.safetensors"
fi
echo "check-cpu-only.sh: passed"
