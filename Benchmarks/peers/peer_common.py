"""Shared by the training peers: read a data directory written by `keel-benchmarks --training`,
limit threads, time epochs, print one JSON result.

A data directory holds
  spec.json                the model and its hyper-parameters (see TrainingPeers.swift), plus
                           train_count, test_count, feature_shape and classes
  train_x.f32, test_x.f32  features, little-endian float32, row-major (count x prod(feature_shape))
  train_y.i32, test_y.i32  class labels, little-endian int32

Every peer prints one JSON object on stdout: peer, accuracy, auc (binary only), epochs,
epoch_seconds (each epoch's wall time), median_epoch_seconds, total_seconds (the whole fit,
compilation included) and note; or {"peer": ..., "skipped": reason} when its packages are missing.
Threads: KEEL_PEER_THREADS (default: all cores), applied before any numeric library is imported.
"""
import json
import os
import statistics
import sys
import time

THREADS = os.environ.get("KEEL_PEER_THREADS") or str(os.cpu_count())
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = THREADS
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["XLA_FLAGS"] = f"--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={THREADS}"

try:
    import numpy as np  # after the thread settings
except ImportError as error:
    print(json.dumps({"peer": os.path.basename(sys.argv[0]), "skipped": f"numpy is not installed ({error})"}))
    sys.exit(0)


def load(directory):
    """The spec and the split: (spec, x_train, y_train, x_test, y_test)."""
    with open(os.path.join(directory, "spec.json")) as file:
        spec = json.load(file)
    width = int(np.prod(spec["feature_shape"]))

    def part(name):
        x = np.fromfile(os.path.join(directory, f"{name}_x.f32"), dtype="<f4").reshape(-1, width)
        y = np.fromfile(os.path.join(directory, f"{name}_y.i32"), dtype="<i4").astype(np.int64)
        assert len(x) == len(y) == spec[f"{name}_count"], f"{name}: sizes disagree with spec.json"
        return x, y

    return (spec, *part("train"), *part("test"))


def auc(scores, labels):
    """Area under the ROC curve (the Mann-Whitney statistic, ties counted half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = np.asarray(scores)[order]
    start = 0
    while start < len(scores):  # average ranks over ties
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    positives = labels == 1
    count = positives.sum()
    return float((ranks[positives].sum() - count * (count + 1) / 2) / (count * (len(labels) - count)))


def report(peer, accuracy, epoch_seconds, total_seconds, auc_value=None, note=""):
    result = {"peer": peer, "accuracy": float(accuracy), "epochs": len(epoch_seconds),
              "epoch_seconds": [round(s, 5) for s in epoch_seconds],
              "median_epoch_seconds": statistics.median(epoch_seconds) if epoch_seconds else None,
              "total_seconds": total_seconds, "note": note}
    if auc_value is not None:
        result["auc"] = auc_value
    print(json.dumps(result))


def skip(peer, reason):
    print(json.dumps({"peer": peer, "skipped": reason}))
    sys.exit(0)


class Stopwatch:
    """Wall time of each lap, and of everything since it started."""

    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.laps = []

    def lap(self):
        now = time.perf_counter()
        self.laps.append(now - self.last)
        self.last = now

    @property
    def total(self):
        return time.perf_counter() - self.start
