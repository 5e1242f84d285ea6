#!/usr/bin/env python3
"""Turns CLBlast tuner JSON output into a parameter file for clblast_sgemm.c.

Usage:
  tuner_json_to_params.py TUNING_DIR [-o PARAMS_FILE] [--routine-dir DIR]

Reads the clblast_*_32.json files that CLBlast's tuners wrote in TUNING_DIR. For every CLBlast
database kernel (Xgemm, XgemmDirect, Copy, Pad, Transpose, Padtranspose, GemmRoutine) it keeps the
best result over all tuner variations (e.g. xgemm_1/_2/_11/_12 all tune the kernel "Xgemm", at the
same m/n/k, so their best times are comparable) and writes lines "KernelName NAME=VALUE ...".

--routine-dir DIR additionally writes, into DIR, one minimal JSON file per kernel under the file
names clblast_tuner_routine_xgemm looks for (clblast_xgemm_1_32.json, clblast_xgemm_direct_1_32.json,
clblast_copy_32.json, ...). That tuner only reads the "_1" variation files, so without this step
it would time the direct/indirect switch-over with a worse Xgemm than the one finally used.
"""
import argparse
import glob
import json
import os
import sys

# tuner kernel_family -> (CLBlast database kernel name, file name the routine tuner reads)
FAMILIES = [
    ("xgemm_direct_", "XgemmDirect", "clblast_xgemm_direct_1_32.json"),
    ("xgemm_", "Xgemm", "clblast_xgemm_1_32.json"),
    ("padtranspose", "Padtranspose", "clblast_padtranspose_32.json"),
    ("transpose", "Transpose", "clblast_transpose_32.json"),
    ("copy", "Copy", "clblast_copy_32.json"),
    ("pad", "Pad", "clblast_pad_32.json"),
    ("gemm_routine", "GemmRoutine", None),
]
ORDER = ["Xgemm", "XgemmDirect", "Copy", "Pad", "Transpose", "Padtranspose", "GemmRoutine"]


def kernel_for(family):
    for prefix, kernel, routine_file in FAMILIES:
        if family.startswith(prefix):
            return kernel, routine_file
    return None, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tuning_dir")
    ap.add_argument("-o", "--output", help="parameter file (default: stdout)")
    ap.add_argument("--routine-dir", help="write minimal JSONs for clblast_tuner_routine_xgemm here")
    args = ap.parse_args()

    best = {}  # kernel -> dict
    for path in sorted(glob.glob(os.path.join(args.tuning_dir, "clblast_*_32.json"))):
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            print(f"skipping {path}: {e}", file=sys.stderr)
            continue
        family = data.get("kernel_family", "")
        if family == "gemm_routine_single_size":
            continue
        kernel, routine_file = kernel_for(family)
        if kernel is None or "best_parameters" not in data:
            print(f"skipping {path}: no usable kernel_family/best_parameters", file=sys.stderr)
            continue
        params = {}
        for item in data["best_parameters"].split():
            name, value = item.split("=")
            if name != "PRECISION":
                params[name] = int(value)
            elif int(value) != 32:
                raise SystemExit(f"{path}: not single precision")
        time_ms = float(data.get("best_time", "inf"))
        entry = dict(kernel=kernel, family=family, file=os.path.basename(path), time=time_ms,
                     params=params, routine_file=routine_file, data=data)
        # Kernel tuners: lower time is better. The routine tuner's "best_time" is its score.
        if kernel not in best or time_ms < best[kernel]["time"]:
            best[kernel] = entry

    if "Xgemm" not in best:
        raise SystemExit(f"no Xgemm tuning results in {args.tuning_dir}")

    lines = []
    any_entry = next(iter(best.values()))["data"]
    lines.append("# CLBlast tuned parameters, single precision, produced by Benchmarks/clblast/tune.sh")
    lines.append(f"# device: {any_entry.get('device', '?')} ({any_entry.get('platform_vendor', '?')} "
                 f"{any_entry.get('platform_version', '?')})")
    lines.append("# format: KernelName NAME=VALUE ...  (passed to CLBlastOverrideParameters)")
    for kernel in ORDER:
        if kernel not in best:
            continue
        e = best[kernel]
        d = e["data"]
        dims = [f"{a}={d['arg_' + a]}" for a in ("m", "n", "k") if "arg_" + a in d]
        size = " at " + " ".join(dims) if dims else ""
        what = "score" if kernel == "GemmRoutine" else "ms"
        lines.append(f"# {kernel}: best of {e['file']} (family {e['family']}), {e['time']:g} {what}{size}")
        lines.append(kernel + " " + " ".join(f"{k}={v}" for k, v in sorted(e["params"].items())))
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)

    if args.routine_dir:
        os.makedirs(args.routine_dir, exist_ok=True)
        for kernel, e in best.items():
            if not e["routine_file"]:
                continue
            params = " ".join(f"{k}={v}" for k, v in sorted(e["params"].items())) + " PRECISION=32"
            family = os.path.basename(e["routine_file"])[len("clblast_"):-len("_32.json")]
            with open(os.path.join(args.routine_dir, e["routine_file"]), "w") as f:
                # CLBlast's reader wants exactly these two-space-indented lines.
                f.write("{\n")
                f.write(f'  "kernel_family": "{family}",\n')
                f.write(f'  "best_parameters": "{params}",\n')
                f.write('  "results": []\n}\n')


if __name__ == "__main__":
    main()
