#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Keel needs that are missing: the OpenCL headers and loader
# (to build KeelOpenCL) and PoCL (an OpenCL device on any CPU), plus any packages named as
# arguments. Uses sudo when not run as root. Used by Scripts/quickstart.sh and .ci/run.
set -euo pipefail

packages=(ocl-icd-opencl-dev opencl-headers pocl-opencl-icd "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-packages: apt-get not found; install ${missing[*]} (or your distribution's OpenCL loader, headers and an ICD) by hand" >&2
    exit 1
fi
echo "== installing ${missing[*]}"
as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
