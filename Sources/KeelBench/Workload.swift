import KeelCore

/// One timed piece of work: its name, its floating-point work, and how to run it on a backend.
///
/// `keel bench` and the `keel-benchmarks` package time the same workloads. Preparing a
/// workload allocates and fills its inputs on a backend (untimed); the closure it returns is
/// what ``medianSeconds(budget:_:)`` times:
///
/// ```swift
/// import Keel
/// import KeelBench
///
/// Backends.registerBuiltIn()
/// let backend = try Backends.select("cpu")
/// for workload in Workload.standard + Workload.trainingSteps {
///     let run = try workload.prepare(backend)
///     let seconds = try medianSeconds(budget: .seconds(1), run)
///     let rate = workload.flops > 0 ? "\(workload.flops / seconds / 1e9) GFLOP/s" : ""
///     print(workload.family, workload.shape, "\(seconds * 1000) ms", rate)
/// }
/// ```
public struct Workload: Sendable {
    /// The kind of work, which groups results in tables: `gemm`, `conv2d`, `cosine` or `train`.
    public var family: String
    /// The problem size as printed in results (`1024x1024x1024`, `mlp 784-100-10 batch 100`).
    public var shape: String
    /// Floating-point operations per run, a multiply-add counting two; 0 when not counted, as
    /// for a training step. Divide by the median seconds for FLOP/s.
    public var flops: Double
    /// `(m, k, n)` of the GEMM that is this workload's peer in a comparison: the same shape for
    /// a GEMM and for the cosine product (`rows × features × K·P`), the same FLOP count
    /// (`O × C/g·KH·KW × N·OH·OW`) for a convolution; `nil` for a training step.
    public var gemmShape: (m: Int, k: Int, n: Int)?
    /// Allocates and fills the inputs on a backend (untimed) and returns the closure that runs
    /// the work once and waits for the device. It throws the backend's errors.
    public var prepare: @Sendable (any Backend) throws -> () throws -> Void

    /// A workload from its parts; the static factories build Keel's own.
    ///
    /// - Parameters:
    ///   - family: the kind of work, for example `gemm`.
    ///   - shape: the problem size as printed.
    ///   - flops: floating-point operations per run, or 0 when not counted.
    ///   - gemmShape: `(m, k, n)` of the peer GEMM, or `nil` for none.
    ///   - prepare: allocates the inputs on a backend and returns the closure that runs the
    ///     work once; the closure must call the backend's `synchronize()` before returning.
    public init(family: String, shape: String, flops: Double, gemmShape: (m: Int, k: Int, n: Int)?,
                prepare: @escaping @Sendable (any Backend) throws -> () throws -> Void) {
        self.family = family
        self.shape = shape
        self.flops = flops
        self.gemmShape = gemmShape
        self.prepare = prepare
    }

    /// The single-precision matrix product `C = A·B` through the backend's `gemm`, with seeded
    /// `N(0, 1)` inputs; `2·m·n·k` FLOPs.
    ///
    /// - Parameters:
    ///   - m: rows of `A` and `C`.
    ///   - k: columns of `A`, rows of `B` (the reduction length).
    ///   - n: columns of `B` and `C`.
    public static func gemm(m: Int, k: Int, n: Int) -> Workload {
        let descriptor = MatrixMultiplication(m: m, n: n, k: k)
        return Workload(family: "gemm", shape: "\(m)x\(k)x\(n)", flops: descriptor.flops, gemmShape: (m, k, n)) { backend in
            let a = try randomBuffer(m * k, seed: 1, on: backend)
            let b = try randomBuffer(k * n, seed: 2, on: backend)
            let c = try backend.makeBuffer(count: m * n)
            return {
                try backend.gemm(descriptor, a: a, b: b, c: c)
                try backend.synchronize()
            }
        }
    }

    /// The forward convolution through the backend's `conv2d`, with seeded `N(0, 1)` input and
    /// filter; its peer is the GEMM of the same FLOP count, the im2col lowering's.
    ///
    /// - Parameter descriptor: the convolution's shapes, stride, padding, dilation and groups.
    public static func conv2d(_ descriptor: Convolution2D) -> Workload {
        let d = descriptor
        let lowered = (m: d.outputChannels, k: d.inputChannels / d.groups * d.kernelHeight * d.kernelWidth,
                       n: d.batch * d.outputHeight * d.outputWidth)
        return Workload(family: "conv2d", shape: "\(d.inputShape)*\(d.filterShape)", flops: d.flops, gemmShape: lowered) { backend in
            let input = try randomBuffer(descriptor.inputShape.elementCount, seed: 3, on: backend)
            let filter = try randomBuffer(descriptor.filterShape.elementCount, seed: 4, on: backend)
            let output = try backend.makeBuffer(count: descriptor.outputShape.elementCount)
            return {
                try backend.conv2d(descriptor, input: input, filter: filter, output: output)
                try backend.synchronize()
            }
        }
    }

    /// The anchor classifier's fused cosine-distance product through the backend's
    /// `cosineDistanceProduct`, with seeded `N(0, 1)` inputs and anchors; its peer is the GEMM of
    /// the same `rows × features × K·P` shape, measured beside it.
    ///
    /// - Parameter descriptor: the rows, features, classes and anchors per class.
    public static func cosine(_ descriptor: CosineDistanceProduct) -> Workload {
        let shape = "m\(descriptor.rows) n\(descriptor.features) K\(descriptor.classes) P\(descriptor.anchorsPerClass)"
        return Workload(family: "cosine", shape: shape, flops: descriptor.flops,
                        gemmShape: (descriptor.rows, descriptor.features, descriptor.anchorCount)) { backend in
            let x = try randomBuffer(descriptor.rows * descriptor.features, seed: 5, on: backend)
            let anchors = try randomBuffer(descriptor.anchorCount * descriptor.features, seed: 6, on: backend)
            let logDistance = try backend.makeBuffer(count: descriptor.rows * descriptor.classes)
            let cosines = try backend.makeBuffer(count: descriptor.rows * descriptor.anchorCount)
            return {
                try backend.cosineDistanceProduct(descriptor, input: x, anchors: anchors, logDistance: logDistance, cosines: cosines)
                try backend.synchronize()
            }
        }
    }

    /// The kernel shapes of the reference models, as reported in `Docs/Benchmarks.md`: four
    /// GEMMs (a square 1024³ and the MLP's layers at batch 128 and 5,000), LeNet's two
    /// convolutions at batch 128, and the anchor classifier's cosine product at 5,000 and 128 rows.
    public static var standard: [Workload] { [
        .gemm(m: 1024, k: 1024, n: 1024),
        .gemm(m: 128, k: 784, n: 100),
        .gemm(m: 128, k: 784, n: 1200),
        .gemm(m: 5000, k: 784, n: 100),
        .conv2d(Convolution2D(batch: 128, inputChannels: 1, inputHeight: 28, inputWidth: 28, outputChannels: 6, kernelHeight: 3, kernelWidth: 3)),
        .conv2d(Convolution2D(batch: 128, inputChannels: 6, inputHeight: 13, inputWidth: 13, outputChannels: 16, kernelHeight: 3, kernelWidth: 3)),
        .cosine(CosineDistanceProduct(rows: 5000, features: 784, classes: 10, anchorsPerClass: 10)),
        .cosine(CosineDistanceProduct(rows: 128, features: 784, classes: 10, anchorsPerClass: 10)),
    ] }
}
