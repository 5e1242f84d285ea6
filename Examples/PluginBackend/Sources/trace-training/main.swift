// trace-training: trains a small MLP on the 8×8 digits through a backend chosen by name, then
// prints the test accuracy and, for a tracing backend, what the training dispatched.
//
//   swift run trace-training                          # tracing:cpu, 5 epochs
//   swift run trace-training --backend tracing:minimal --epochs 2
//   swift run trace-training --backend minimal        # any registered spec; counts only when tracing
//   KEEL_BACKEND=tracing:reference swift run trace-training

import Foundation
import KeelCPU
import KeelCore
import KeelData
import KeelMinimal
import KeelNN
import KeelTracing

let usage = """
    usage: trace-training [--backend SPEC] [--epochs N]
      --backend SPEC  tracing:cpu (the default, unless KEEL_BACKEND is set), tracing:reference, tracing:minimal, minimal, cpu, reference
      --epochs N      training epochs, 1...100 (default 5)
    """

/// A bad command line or backend spec: one line on standard error, exit status 2.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("trace-training: \(message)\n".utf8))
    exit(2)
}

// MARK: - Arguments

var spec: String?          // nil: KEEL_BACKEND if set, else tracing:cpu
var epochs = 5
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--backend", "--epochs":
        guard let value = arguments.popFirst(), !value.hasPrefix("--") else { fail("\(argument) needs a value (see --help)") }
        if argument == "--backend" {
            spec = value
        } else {
            guard let count = Int(value), (1...100).contains(count) else { fail("--epochs takes a whole number from 1 to 100, got '\(value)'") }
            epochs = count
        }
    case "--help", "-h":
        print(usage)
        exit(0)
    default:
        fail("unknown argument '\(argument)'; expected --backend SPEC, --epochs N or --help")
    }
}

// MARK: - Backends: Keel's CPU backend and the two from this package

Backends.register(CPUBackend.registration)
Backends.register(TracingBackend.registration)
Backends.register(MinimalBackend.registration)

let backend: any Backend
do {
    if let spec {
        backend = try Backends.select(spec)
    } else if let environment = ProcessInfo.processInfo.environment["KEEL_BACKEND"], !environment.isEmpty {
        backend = try Backends.current()        // reads KEEL_BACKEND, which may name a plugin spec once it is registered
    } else {
        backend = try Backends.select("tracing:cpu")
    }
} catch {
    fail("\(error)")
}
print("backend: \(backend.name) — \(backend.deviceDescription)")

// MARK: - Training

do {
    let split = Dataset.digits8x8().split(testFraction: 0.2, seed: 0)
    let model = try MLPConfiguration(layerSizes: [64, 32, 10], objective: .softmaxCrossEntropy(classes: 10))
        .makeModel(seed: 0, on: backend)
    let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: epochs, batchSize: 32, seed: 0, learningRate: 0.01))
    let clock = ContinuousClock()
    let started = clock.now
    try trainer.fit(split.train, callbacks: TrainingCallbacks(epochEnded: { metrics in
        print("epoch \(metrics.epoch): loss \(String(format: "%.4f", metrics.trainingLoss)), training accuracy \(String(format: "%.3f", metrics.trainingAccuracy ?? 0))")
    }))
    let accuracy = try trainer.evaluate(split.test).accuracy ?? 0
    let elapsed = (clock.now - started).components
    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    print("test accuracy: \(String(format: "%.3f", accuracy)) on \(split.test.count) test digits (\(String(format: "%.1f", seconds)) s)")

    if let tracing = backend as? TracingBackend {
        print("\noperations dispatched to \(tracing.inner.name) (model creation, training and evaluation):")
        print(tracing.counts.table)
    } else {
        print("\n(\(backend.name) is not a tracing backend: select tracing:\(backend.name) to count its operations)")
    }
} catch {
    FileHandle.standardError.write(Data("trace-training: \(error)\n".utf8))
    exit(1)
}
