#!/usr/bin/env bash
# Builds the tests with AddressSanitizer (LeakSanitizer included) or ThreadSanitizer and runs
# them, the `keel` executables the CLI tests start included. Exits non-zero when the build has a
# warning, a test fails, or any process reported anything: every report is fatal, and each is
# also written to a file so that reports from child processes are never lost.
#
#   Scripts/sanitize.sh address|thread [filter]    e.g. Scripts/sanitize.sh thread KeelCPUTests
#
# The build goes to its own scratch path (.build-asan, .build-tsan) so it never invalidates the
# normal one. The sanitizer runtimes come with the Swift toolchain. Suppressions, only for reports
# inside third-party code and each explained, are in Scripts/sanitizers/. Docs/Reliability.md has
# the results and times.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"
    else echo "sanitize: Swift 6.1 or later is needed: install it from https://www.swift.org/install/ and put swift on PATH" >&2; exit 1; fi
fi

sanitizer="${1:-}"
case "$sanitizer" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "sanitize: expected 'address' or 'thread' as the first argument, got '$sanitizer' (usage: Scripts/sanitize.sh address|thread [filter])" >&2; exit 2 ;;
esac
filter="${2:-}"
if [ $# -gt 2 ]; then echo "sanitize: expected at most one filter, got $(($# - 1)) (usage: Scripts/sanitize.sh address|thread [filter])" >&2; exit 2; fi

flags=(--sanitize="$sanitizer" --scratch-path "$scratch")
# On Linux, link with the toolchain's lld: gold prints a warning for every ASan check routine it
# cannot export, which would drown real warnings.
if [ "$(uname -s)" = Linux ]; then flags+=(-Xswiftc -use-ld=lld); fi

echo "== build (debug, $sanitizer sanitizer, with tests; any warning fails)"
mkdir -p "$scratch"
swift build "${flags[@]}" --build-tests 2>&1 | tee "$scratch/sanitize-build.log"
if grep -E "warning:" "$scratch/sanitize-build.log"; then echo "sanitize: the build has warnings (above)" >&2; exit 1; fi

reports="$PWD/$scratch/sanitizer-reports"
rm -rf "$reports" && mkdir -p "$reports"
suppressions="$PWD/Scripts/sanitizers"
common="halt_on_error=1:log_path=$reports/report"
# allocator_may_return_null (ASan and TSan): the allocation-failure tests ask for petabytes and expect a typed error,
# as without a sanitizer, which would otherwise abort on the request itself.
export ASAN_OPTIONS="$common:detect_leaks=1:detect_stack_use_after_return=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="$common:second_deadlock_stack=1:allocator_may_return_null=1"

echo "== test ($sanitizer sanitizer${filter:+, filter $filter})"
status=0
# Swift Testing only: the suite has no XCTest tests, and XCTest's empty run leaks its own objects.
swift test "${flags[@]}" --skip-build --disable-xctest ${filter:+--filter "$filter"} || status=$?

# A refused allocation (the allocation-failure tests ask for petabytes) only logs a warning; a file
# holding nothing else is not a report.
for report in "$reports"/report.*; do
    [ -e "$report" ] && ! grep -qvE "WARNING: (Address|Thread)Sanitizer failed to allocate" "$report" && rm "$report"
done
if compgen -G "$reports/report.*" >/dev/null; then
    for report in "$reports"/report.*; do echo "== $report"; cat "$report"; done
    echo "sanitize: $(ls "$reports" | wc -l) process(es) reported errors (above; kept in $reports)" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then echo "sanitize: the tests failed (exit status $status)" >&2; exit "$status"; fi
echo "sanitize: no $sanitizer sanitizer reports"
