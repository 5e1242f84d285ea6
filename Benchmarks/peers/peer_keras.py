"""Keras peer (TensorFlow-CPU backend unless KERAS_BACKEND says otherwise): LeNet, MLPs, logistic regression.

Usage: python3 peer_keras.py DATA_DIRECTORY  (written by `keel-benchmarks --training`; see peer_common.py)

The same architectures as KeelNN's: LeNet is Conv2D(6, 3x3, ReLU) > MaxPool 2x2 > Conv2D(16, 3x3,
ReLU) > MaxPool 2x2 > Flatten > Dense 120 ReLU > Dropout 0.5 > Dense 84 ReLU > Dense 10 (channels
last, which for one channel is the same memory as Keel's NCHW); an MLP is Dense layers with the
spec's hidden activation; logistic regression is one zero-initialised Dense layer. Softmax
cross-entropy from logits; Adam (Keras' defaults, epsilon 1e-7, as Keel's) or plain SGD; the
spec's learning rate, batch size and epochs; `fit` shuffles every epoch. Keras' initialisers are
Glorot-uniform (Keel's ReLU layers use He). Threads: intra- and inter-op pools of KEEL_PEER_THREADS.
"""
import sys
import time

from peer_common import THREADS, Stopwatch, load, report, skip

try:
    import keras
except ImportError as error:
    skip("keras", f"keras/tensorflow is not installed ({error})")
backend = keras.backend.backend()
if backend == "tensorflow":
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(int(THREADS))
    tf.config.threading.set_inter_op_parallelism_threads(int(THREADS))

spec, x_train, y_train, x_test, y_test = load(sys.argv[1])
keras.utils.set_random_seed(spec["seed"])
layers = keras.layers
if spec["kind"] == "lenet":
    channels, height, width = spec["feature_shape"]
    x_train = x_train.reshape(-1, channels, height, width).transpose(0, 2, 3, 1)
    x_test = x_test.reshape(-1, channels, height, width).transpose(0, 2, 3, 1)
    stack = [keras.Input((height, width, channels)),
             layers.Conv2D(6, 3, activation="relu"), layers.MaxPooling2D(2),
             layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(),
             layers.Dense(120, activation="relu"), layers.Dropout(0.5),
             layers.Dense(84, activation="relu"), layers.Dense(spec["classes"])]
elif spec["kind"] == "logreg":
    stack = [keras.Input((spec["layers"][0],)), layers.Dense(spec["classes"], kernel_initializer="zeros")]
else:
    sizes = spec["layers"]
    stack = ([keras.Input((sizes[0],))] + [layers.Dense(size, activation=spec["activation"]) for size in sizes[1:-1]]
             + [layers.Dense(sizes[-1])])
model = keras.Sequential(stack)
rate = float(spec["learning_rate"])
optimizer = keras.optimizers.Adam(rate) if spec["optimizer"] == "adam" else keras.optimizers.SGD(rate)
model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])


class EpochTimer(keras.callbacks.Callback):
    def __init__(self, clock):
        super().__init__()
        self.clock = clock

    def on_epoch_begin(self, epoch, logs=None):
        self.clock.last = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.clock.lap()


clock = Stopwatch()
model.fit(x_train, y_train, batch_size=spec["batch_size"], epochs=spec["epochs"], shuffle=True, verbose=0,
          callbacks=[EpochTimer(clock)])
total = clock.total
_, accuracy = model.evaluate(x_test, y_test, batch_size=1024, verbose=0)
report(f"keras ({backend})", accuracy, clock.laps, total, note=f"Glorot init, jit_compile {model.jit_compile}")
