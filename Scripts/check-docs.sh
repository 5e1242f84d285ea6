#!/usr/bin/env bash
# Builds the DocC documentation of every library target (swift-docc-plugin) and fails when DocC
# warns about anything (a broken symbol link, a documented parameter that does not exist, ...)
# or when a public symbol declared in Sources/ has no summary or leaves a parameter
# undocumented. Members the compiler synthesises (Codable, Equatable, RawRepresentable) are not
# ours to document and are skipped. CI runs it; run it before committing a change to public API.
#
#   Scripts/check-docs.sh                 # every library target
#   Scripts/check-docs.sh KeelCore KeelNN # only these
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(Keel KeelCore KeelCPU KeelOpenCL KeelData KeelNN KeelReport KeelBench KeelTesting)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
for target in "${targets[@]}"; do
    if ! swift package generate-documentation --target "$target" >"$log" 2>&1; then
        echo "docs: $target: DocC failed:" >&2
        tail -20 "$log" >&2
        failed=1
        continue
    fi
    if grep -qE "^(warning|error):" "$log"; then
        echo "docs: $target: DocC warnings:" >&2
        grep -E -A6 "^(warning|error):" "$log" >&2
        failed=1
    fi
    # The module's own symbols, plus its extensions of other modules' types (`T@Other.symbols.json`).
    graph=$(ls -t $(find .build -path "*/extracted-symbols/*/$target/$target.symbols.json") 2>/dev/null | head -1)
    if [ -z "$graph" ]; then echo "docs: $target: no symbol graph was extracted" >&2; failed=1; continue; fi
    if python3 Scripts/undocumented-symbols.py "$(dirname "$graph")"/*.symbols.json; then
        grep -qE "^(warning|error):" "$log" || echo "docs: $target: every public symbol documented, no DocC warnings"
    else
        failed=1
    fi
done
exit $failed
