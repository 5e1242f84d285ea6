import KeelCore

/// One timed kernel: its name, its floating-point work, and how to run it on a backend.
struct Workload {
    var family: String
    var shape: String
    var flops: Double
    /// `(m, k, n)` of the GEMM that is this workload's peer: the same shape for GEMM and the
    /// cosine product, the same FLOP count (`O × N·OH·OW × C/g·KH·KW`) for a convolution.
    var gemmShape: (m: Int, k: Int, n: Int)?
    /// Allocates inputs on the backend and returns the closure that runs the kernel once.
    var prepare: (any Backend) throws -> () throws -> Void

    static func gemm(m: Int, k: Int, n: Int) -> Workload {
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

    static func conv2d(_ descriptor: Convolution2D) -> Workload {
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
    static func cosine(_ descriptor: CosineDistanceProduct) -> Workload {
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
    static var standard: [Workload] { [
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
