"""JAX peer: a re-implementation of Keel's anchor-vector classifier (shared/docs/MODELS.md, section 1).

Usage: python3 peer_jax.py DATA_DIRECTORY  (written by `keel-benchmarks --training`; see peer_common.py)

K classes with P anchors each (K = 1: the binary model, a sigmoid over one score). Cosine
distance d = 1 - cos(a, x) (norms floored at 1e-12, d clamped at 1e-6 before the log), log D_k =
sum_p log d(a_kp, x), logits z_k = w_k exp(log D_k) + b_k with w, b starting at 0; softmax (or
sigmoid) cross-entropy from the logits; charge energy q^2/2 sum over p != p' within a class of
1 / max(d(a_kp, a_kp'), 1e-4). Anchors start as distinct random training examples of their class
(the positive class for K = 1). Adam (beta 0.9 / 0.999, epsilon 1e-7) written out here, the
spec's learning rate, batch size and epochs, examples reshuffled every epoch, a jit-compiled
step (the last, smaller batch of an epoch compiles once more).
"""
import sys

from peer_common import Stopwatch, auc, load, report, skip

try:
    import jax
    import jax.numpy as jnp
except ImportError as error:
    skip("jax", f"jax is not installed ({error})")
import numpy as np

spec, x_train, y_train, x_test, y_test = load(sys.argv[1])
K, P, q = spec["anchor_classes"], spec["anchors_per_class"], spec["charge"]
binary = K == 1
rng = np.random.default_rng(spec["seed"])
anchors = np.concatenate([x_train[rng.choice(np.flatnonzero(y_train == (1 if binary else k)), P, replace=False)]
                          for k in range(K)])
params = {"a": jnp.asarray(anchors), "w": jnp.zeros(K), "b": jnp.zeros(K)}
same_class = np.kron(np.eye(K), np.ones((P, P))) - np.eye(K * P)


def unit(rows):
    return rows / jnp.maximum(jnp.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def logits(p, x):
    distance = 1 - unit(x) @ unit(p["a"]).T
    log_product = jnp.log(jnp.maximum(distance, 1e-6)).reshape(len(x), K, P).sum(axis=2)
    return p["w"] * jnp.exp(log_product) + p["b"]


def loss(p, x, y):
    z = logits(p, x)
    if binary:
        data = jnp.mean(jnp.logaddexp(0, z[:, 0]) - y * z[:, 0])
    else:
        data = -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(z), y[:, None], axis=1))
    if q > 0 and P > 1:
        anchor_unit = unit(p["a"])
        distance = 1 - anchor_unit @ anchor_unit.T
        data = data + q * q / 2 * jnp.sum(same_class / jnp.maximum(distance, 1e-4))
    return data


@jax.jit
def step(p, m, v, t, xs, ys, chosen, rate=spec["learning_rate"], beta1=0.9, beta2=0.999, epsilon=1e-7):
    g = jax.grad(loss)(p, xs[chosen], ys[chosen])
    m = jax.tree.map(lambda m, g: beta1 * m + (1 - beta1) * g, m, g)
    v = jax.tree.map(lambda v, g: beta2 * v + (1 - beta2) * g * g, v, g)
    scale = rate * jnp.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    p = jax.tree.map(lambda p, m, v: p - scale * m / (jnp.sqrt(v) + epsilon), p, m, v)
    return p, m, v


m = jax.tree.map(jnp.zeros_like, params)
v = jax.tree.map(jnp.zeros_like, params)
batch, t = spec["batch_size"], 0
xs, ys = jnp.asarray(x_train), jnp.asarray(y_train)
clock = Stopwatch()
for epoch in range(spec["epochs"]):
    order = rng.permutation(len(x_train)).astype(np.int32)
    for start in range(0, len(x_train), batch):
        t += 1
        params, m, v = step(params, m, v, t, xs, ys, order[start:start + batch])
    jax.block_until_ready(params)
    clock.lap()
total = clock.total
z = np.asarray(logits(params, jnp.asarray(x_test)))
if binary:
    report("jax anchors", np.mean((z[:, 0] > 0) == (y_test == 1)), clock.laps, total, auc(z[:, 0], y_test),
           note="jit step, Adam by hand")
else:
    report("jax anchors", np.mean(z.argmax(axis=1) == y_test), clock.laps, total, note="jit step, Adam by hand")
