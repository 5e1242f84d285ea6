"""The OpenBLAS peer for keel-benchmarks: NumPy float32 matmul GFLOP/s for one shape.

Usage: python3 openblas_sgemm.py M K N SECONDS   (threads: OPENBLAS_NUM_THREADS)
Prints the median GFLOP/s over repeated runs, timed like keel-benchmarks times its kernels.
"""
import statistics
import sys
import time

import numpy as np

m, k, n = (int(v) for v in sys.argv[1:4])
budget = float(sys.argv[4])
rng = np.random.default_rng(1)
a = rng.standard_normal((m, k), dtype=np.float32)
b = rng.standard_normal((k, n), dtype=np.float32)
a @ b
times = []
start = time.perf_counter()
while len(times) < 5 or (time.perf_counter() - start < budget and len(times) < 1000):
    t = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - t)
print(f"{2 * m * k * n / statistics.median(times) / 1e9:.2f}")
