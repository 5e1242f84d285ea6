#!/usr/bin/env python3
"""Test accuracy of `keel train mlp|logreg` with its defaults on public tabular data sets, against
scikit-learn's StandardScaler + the same model, each over the same seeds of a stratified 80/20 split.

The data sets ship with scikit-learn (no download): wine (178 rows, 13 columns from tenths to
thousands, 3 classes), iris (150 rows, 4 columns, 3 classes) and breast cancer (569 rows, 30 columns,
2 classes). Keel and scikit-learn split with their own generators, so each figure is a mean over
the seeds. Keel runs as a user would: `keel train MODEL --dataset csv:FILE --seed S`, nothing tuned.

Usage: python3 Benchmarks/peers/tabular_accuracy.py [--keel .build/release/keel] [--seeds 10]
Needs: pip install scikit-learn
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import tempfile
import warnings

from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA_SETS = {"wine": load_wine, "iris": load_iris, "breast-cancer": load_breast_cancer}
PEERS = {"mlp": lambda seed: MLPClassifier(hidden_layer_sizes=(100,), random_state=seed),
         "logreg": lambda seed: LogisticRegression(max_iter=1000)}


def write_csv(path, data):
    with open(path, "w") as out:
        out.write(",".join(["f%d" % i for i in range(data.data.shape[1])] + ["label"]) + "\n")
        for row, label in zip(data.data, data.target):
            out.write(",".join(repr(float(v)) for v in row) + ",%d\n" % label)


def keel_accuracy(keel, model, csv, seed):
    result = subprocess.run([keel, "train", model, "--dataset", "csv:%s" % csv, "--backend", "cpu", "--seed", str(seed), "--json"],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)["test"]["accuracy"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keel", default=".build/release/keel")
    parser.add_argument("--seeds", type=int, default=10)
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore")  # scikit-learn's MLP warns that 200 epochs did not converge
    print("%-14s %-7s %8s %8s %7s" % ("data set", "model", "keel", "sklearn", "keel−sk"))
    with tempfile.TemporaryDirectory() as directory:
        for name, load in DATA_SETS.items():
            data = load()
            csv = pathlib.Path(directory) / ("%s.csv" % name)
            write_csv(csv, data)
            for model, peer in PEERS.items():
                keel, sklearn = [], []
                for seed in range(arguments.seeds):
                    keel.append(keel_accuracy(arguments.keel, model, csv, seed))
                    x_train, x_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.2,
                                                                        stratify=data.target, random_state=seed)
                    sklearn.append(make_pipeline(StandardScaler(), peer(seed)).fit(x_train, y_train).score(x_test, y_test))
                k, s = statistics.mean(keel), statistics.mean(sklearn)
                print("%-14s %-7s %8.4f %8.4f %+7.4f" % (name, model, k, s, k - s))


if __name__ == "__main__":
    main()
