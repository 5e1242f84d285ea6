#!/usr/bin/env bash
# Fuzzes Keel's readers and option parsers with libFuzzer (Docs/Reliability.md).
#
#   Scripts/fuzz.sh [TARGET|all] [RUNS]     TARGET: idx csv safetensors gzip cli; RUNS default 1000000
#
# Builds `fuzz-TARGET` in release with `-sanitize=fuzzer,address -DFUZZING` (in .build/fuzz, apart
# from the normal build), then runs it for RUNS inputs with a fixed seed, starting from a copy of
# its seed corpus in Fuzz/Corpus/TARGET (the copy grows; the repository's corpus does not). Fails
# on any crash, sanitizer report, leak, timeout (10 s for one input) or out-of-memory (2 GB in
# all, 512 MB in one allocation); the input that failed is kept and its path printed: add it to
# Fuzz/Corpus/TARGET once the reader is fixed. Targets run one after another.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(idx csv safetensors gzip cli)
target=${1:-all}
runs=${2:-1000000}
if [ "$target" = all ]; then selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $target "* ]]; then selected=("$target")
else echo "fuzz.sh: unknown target '$target': use one of ${targets[*]} or all" >&2; exit 2; fi
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "fuzz.sh: RUNS must be a positive number, got '$runs'" >&2; exit 2; fi

# lld: gold stops with an internal error linking the build-tool plugins' executables under the fuzzer.
flags=(-c release --scratch-path .build/fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld)
work=$(mktemp -d "${TMPDIR:-/tmp}/keel-fuzz.XXXXXX")
echo "fuzz.sh: working in $work"

for name in "${selected[@]}"; do
    echo "== fuzz-$name: build"
    swift build "${flags[@]}" --product "fuzz-$name"
    mkdir -p "$work/$name/corpus"
    cp Fuzz/Corpus/"$name"/* "$work/$name/corpus/"
    echo "== fuzz-$name: $runs runs from $(ls Fuzz/Corpus/"$name" | wc -l) seeds"
    if ! .build/fuzz/release/"fuzz-$name" -runs="$runs" -seed=1 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
        -print_final_stats=1 -artifact_prefix="$work/$name/" "$work/$name/corpus" > "$work/$name/log" 2>&1; then
        tail -n 60 "$work/$name/log"
        echo "fuzz.sh: fuzz-$name failed; the input: $(ls "$work/$name"/{crash,leak,timeout,oom,slow-unit}-* 2>/dev/null | head -n 1)" >&2
        echo "fuzz.sh: replay it with: swift build --product fuzz-$name && .build/debug/fuzz-$name FILE" >&2
        exit 1
    fi
    done_line=$(grep -E '^Done [0-9]+ runs' "$work/$name/log" | tail -n 1)
    rate=$(grep -E 'stat::average_exec_per_sec' "$work/$name/log" | awk '{print $2}')
    echo "fuzz-$name: ${done_line#Done } ($rate exec/s), no crash, leak, timeout or out-of-memory"
done
