import KeelCore

/// One timed piece of work: its name, its floating-point work, and how to run it on a backend.
///
/// `keel bench` and the `keel-benchmarks` package time the same workloads.
public struct Workload: Sendable {
    /// `gemm`, `conv2d`, `cosine` or `train`.
    public var family: String
    /// The shape, as printed (`1024x1024x1024`, `mlp batch 100`).
    public var shape: String
    /// Floating-point operations per run (0 when not counted, as for a training step).
    public var flops: Double
    /// `(m, k, n)` of the GEMM that is this workload's peer: the same shape for GEMM and the
    /// cosine product, the same FLOP count (`O × N·OH·OW × C/g·KH·KW`) for a convolution.
    public var gemmShape: (m: Int, k: Int, n: Int)?
    /// Allocates inputs on the backend and returns the closure that runs the work once (and
    /// waits for the device).
    public var prepare: @Sendable (any Backend) throws -> () throws -> Void

    public init(family: String, shape: String, flops: Double, gemmShape: (m: Int, k: Int, n: Int)?,
                prepare: @escaping @Sendable (any Backend) throws -> () throws -> Void) {
        self.family = family
        self.shape = shape
        self.flops = flops
        self.gemmShape = gemmShape
        self.prepare = prepare
    }

    /// `C = A·B` of `m×k` and `k×n` matrices.
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

    /// The forward convolution; its peer is the GEMM of the same FLOP count.
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

    /// The fused product; its peer is the GEMM of the same `m × n × K·P` shape, measured beside it.
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

    /// The shapes the models in Docs/Benchmarks.md use.
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
