#!/usr/bin/env bash
# From a fresh clone on Debian/Ubuntu with Swift: installs what is missing (the OpenCL packages
# and PoCL), builds `keel` in release for this CPU, and trains the anchor classifier (10 anchors
# per class, charge 0.1) on the embedded MNIST subset on the best available backend. It prints
# the test accuracy and writes keel-report.html and keel-anchors.safetensors.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then export PATH="/opt/swift/usr/bin:$PATH"
    else echo "quickstart: Swift 6.1 or later is needed: install it from https://www.swift.org/install/ and put swift on PATH" >&2; exit 1; fi
fi

Scripts/install-packages.sh

echo "== building keel (release, for this CPU)"
swift build -c release -Xswiftc -target-cpu -Xswiftc native --product keel

echo "== training the anchor classifier on the embedded MNIST subset"
.build/release/keel train anchors --anchors-per-class 10 --charge 0.1 --quiet \
    --save keel-anchors.safetensors --report keel-report.html
echo "open keel-report.html to see the training curves, the confusion matrix and the learned anchors"
