#!/usr/bin/env bash
# Builds the DocC documentation of every library target (swift-docc-plugin) and fails when DocC
# warns about anything (a broken symbol link, a parameter documented that does not exist, ...) or
# when a public symbol has no summary or leaves a parameter undocumented. CI runs it; run it
# before committing a change to public API.
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
    if ! swift package generate-documentation --target "$target" --warnings-as-errors \
        --experimental-documentation-coverage --coverage-summary-level detailed >"$log" 2>&1; then
        echo "docs: $target: DocC reported problems:" >&2
        grep -E -A6 "^(warning|error):" "$log" | grep -v "^error: 'docc convert' invocation failed" | grep -v "NSCocoaErrorDomain" >&2 || tail -20 "$log" >&2
        failed=1
        continue
    fi
    # The coverage table: one row per symbol, columns separated by '|': name, kind, abstract?,
    # curated?, code listing?, parameters ("50% (1/2)" or "-"), language, reference path.
    missing=$(awk -F'|' '
        /^Symbol Name/ { table = 1; next }
        table && NF >= 8 {
            kind = $2; gsub(/^ +| +$/, "", kind)
            abstract = $3; gsub(/ /, "", abstract)
            parameters = $6; gsub(/^ +| +$/, "", parameters)
            path = $8; gsub(/^ +| +$/, "", path); sub(/^doc:\/\/[^\/]+\/documentation\//, "", path)
            if (abstract != "true") print "  no summary:             " path " (" kind ")"
            if (parameters ~ /\(/) {
                split(parameters, counts, /[()\/]/)
                if (counts[2] != counts[3]) print "  undocumented parameter: " path " (" parameters ")"
            }
        }' "$log")
    if [ -n "$missing" ]; then
        echo "docs: $target: public symbols without documentation:" >&2
        echo "$missing" >&2
        failed=1
    else
        echo "docs: $target: every public symbol documented, no DocC warnings"
    fi
done
exit $failed
