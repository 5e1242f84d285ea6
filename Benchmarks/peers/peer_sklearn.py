"""scikit-learn peer: MLPClassifier for the MLPs, LogisticRegression (lbfgs) for logistic regression.

Usage: python3 peer_sklearn.py DATA_DIRECTORY  (written by `keel-benchmarks --training`; see peer_common.py)

The MLP trains one epoch per `partial_fit` call (sklearn's own mini-batch loop, shuffled each
epoch), with the spec's hidden sizes, activation, optimiser, learning rate and batch size, and no
L2 penalty (alpha = 0, as Keel's runs use no weight decay). What sklearn cannot match: its weight
initialisation (Glorot-uniform, with a gain for logistic units), and Adam's epsilon (1e-8, Keel's is
Keras' 1e-7). SGD runs with momentum 0 and a constant rate. LogisticRegression has no epochs:
lbfgs runs to convergence (at most 1000 iterations) without a penalty, and only the total is timed.
"""
import sys
import warnings

from peer_common import Stopwatch, load, report, skip

try:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
except ImportError as error:
    skip("sklearn", f"scikit-learn is not installed ({error})")

spec, x_train, y_train, x_test, y_test = load(sys.argv[1])
classes = list(range(spec["classes"]))
warnings.simplefilter("ignore", ConvergenceWarning)

if spec["kind"] == "logreg":
    model = LogisticRegression(C=float("inf"), solver="lbfgs", max_iter=1000)
    clock = Stopwatch()
    model.fit(x_train, y_train)
    total = clock.total
    report("sklearn LogisticRegression", model.score(x_test, y_test), [], total,
           note=f"lbfgs, no penalty, {int(model.n_iter_.max())} iterations to converge")
    sys.exit(0)

assert spec["kind"] == "mlp", f"sklearn has no peer for {spec['kind']}"
model = MLPClassifier(hidden_layer_sizes=tuple(spec["layers"][1:-1]),
                      activation={"sigmoid": "logistic"}.get(spec["activation"], spec["activation"]),
                      solver=spec["optimizer"], learning_rate_init=spec["learning_rate"],
                      batch_size=spec["batch_size"], alpha=0.0, momentum=0.0, learning_rate="constant",
                      shuffle=True, random_state=spec["seed"])
clock = Stopwatch()
for _ in range(spec["epochs"]):
    model.partial_fit(x_train, y_train, classes=classes)
    clock.lap()
report("sklearn MLPClassifier", model.score(x_test, y_test), clock.laps, clock.total,
       note=f"{spec['optimizer']}, alpha 0, sklearn's Glorot init")
