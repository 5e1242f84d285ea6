import Foundation
import KeelCore
import Testing

/// Hand-computed golden values for the reference backend (the oracle every other backend is
/// compared with, so it is checked against independent numbers first).
@Suite struct ReferenceGoldenTests {
    let reference: any Backend

    init() throws { reference = try Backends.select("reference") }

    func buffer(_ values: [Float]) throws -> any DeviceBuffer {
        let buffer = try reference.makeBuffer(count: values.count)
        try values.withUnsafeBufferPointer { try reference.upload($0, to: buffer) }
        return buffer
    }

    func values(_ buffer: any DeviceBuffer, _ count: Int) throws -> [Float] {
        var values = [Float](repeating: .nan, count: count)
        try values.withUnsafeMutableBufferPointer { try reference.download(buffer, into: $0) }
        return values
    }

    func close(_ got: [Float], _ expected: [Double], tolerance: Double = 1e-6) -> Bool {
        got.count == expected.count && zip(got, expected).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func gemm2x3times3x2() throws {
        // [[1 2 3] [4 5 6]] · [[7 8] [9 10] [11 12]] = [[58 64] [139 154]]
        let c = try buffer([.nan, .nan, .nan, .nan])
        try reference.gemm(MatrixMultiplication(m: 2, n: 2, k: 3), a: buffer([1, 2, 3, 4, 5, 6]), b: buffer([7, 8, 9, 10, 11, 12]), c: c)
        #expect(try values(c, 4) == [58, 64, 139, 154])
        // Transposed operands, α = 2, β = −1 over C = [[1 1] [1 1]]: 2·Aᵀ·Bᵀ − 1 with A stored 3×2, B stored 2×3.
        let c2 = try buffer([1, 1, 1, 1])
        try reference.gemm(MatrixMultiplication(m: 2, n: 2, k: 3, transposeA: true, transposeB: true, alpha: 2, beta: -1),
                           a: buffer([1, 4, 2, 5, 3, 6]), b: buffer([7, 9, 11, 8, 10, 12]), c: c2)
        #expect(try values(c2, 4) == [115, 127, 277, 307])
    }

    @Test func convolution3x3by2x2() throws {
        // x = 1…9 as 3×3, w = [[1 2] [3 4]]: y[i][j] = x[i][j] + 2x[i][j+1] + 3x[i+1][j] + 4x[i+1][j+1].
        let d = Convolution2D(batch: 1, inputChannels: 1, inputHeight: 3, inputWidth: 3, outputChannels: 1, kernelHeight: 2, kernelWidth: 2)
        let x = try buffer([1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = try buffer([1, 2, 3, 4])
        let y = try buffer([Float](repeating: .nan, count: 4))
        try reference.conv2d(d, input: x, filter: w, output: y)
        #expect(try values(y, 4) == [37, 47, 67, 77])
        // With dy = 1: dx[i][j] sums the filter taps that touch (i, j); dw[a][b] sums the 2×2 window at (a, b).
        let ones = try buffer([1, 1, 1, 1])
        let dx = try buffer([Float](repeating: .nan, count: 9))
        try reference.conv2dBackwardData(d, outputGradient: ones, filter: w, inputGradient: dx)
        #expect(try values(dx, 9) == [1, 3, 2, 4, 10, 6, 3, 7, 4])
        let dw = try buffer([Float](repeating: .nan, count: 4))
        try reference.conv2dBackwardFilter(d, input: x, outputGradient: ones, filterGradient: dw)
        #expect(try values(dw, 4) == [12, 16, 24, 28])
    }

    @Test func paddedStridedConvolution() throws {
        // 1×1×2×2 input [[1 2] [3 4]], 2×2 filter of ones, padding 1, stride 2: 2×2 output
        // windows at (−1,−1), (−1,1), (1,−1), (1,1) see {1}, {2}, {3}, {4}.
        let d = Convolution2D(batch: 1, inputChannels: 1, inputHeight: 2, inputWidth: 2, outputChannels: 1, kernelHeight: 2, kernelWidth: 2,
                              stride: (2, 2), padding: (1, 1))
        let y = try buffer([Float](repeating: .nan, count: 4))
        try reference.conv2d(d, input: buffer([1, 2, 3, 4]), filter: buffer([1, 1, 1, 1]), output: y)
        #expect(try values(y, 4) == [1, 2, 3, 4])
    }

    @Test func maxAndAveragePooling() throws {
        let x: [Float] = [1, 5, 2, 2, 3, 4, 2, 0, -1, -2, -3, -4, -5, -6, -7, -8]
        let max = Pooling2D(kind: .max, batch: 1, channels: 1, inputHeight: 4, inputWidth: 4, window: (2, 2))
        let y = try buffer([Float](repeating: .nan, count: 4))
        try reference.pool2d(max, input: buffer(x), output: y)
        #expect(try values(y, 4) == [5, 2, -1, -3])
        // The gradient goes to the first largest element: the tie 2, 2 in the second window picks index 2.
        let dx = try buffer([Float](repeating: .nan, count: 16))
        try reference.pool2dBackward(max, input: buffer(x), outputGradient: buffer([10, 20, 30, 40]), inputGradient: dx)
        #expect(try values(dx, 16) == [0, 10, 20, 0, 0, 0, 0, 0, 30, 0, 40, 0, 0, 0, 0, 0])
        // Average 3×3 windows, stride 2, padding 1: the top-left window holds x[0..1][0..1] only.
        let average = Pooling2D(kind: .average, batch: 1, channels: 1, inputHeight: 4, inputWidth: 4, window: (3, 3), stride: (2, 2), padding: (1, 1))
        let ya = try buffer([Float](repeating: .nan, count: 4))
        try reference.pool2d(average, input: buffer(x), output: ya)
        #expect(close(try values(ya, 4), [13.0 / 4, 15.0 / 6, -7.0 / 6, -24.0 / 9]))
    }

    @Test func softmaxOfOneTwoThree() throws {
        let x = try buffer([1, 2, 3])
        let y = try buffer([.nan, .nan, .nan])
        let extents = ReductionExtents(outer: 1, length: 3, inner: 1)
        try reference.softmax(input: x, output: y, extents: extents, logarithmic: false)
        // e^k / (e + e² + e³)
        #expect(close(try values(y, 3), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219]))
        try reference.softmax(input: x, output: y, extents: extents, logarithmic: true)
        #expect(close(try values(y, 3), [-2.4076059644443806, -1.4076059644443806, -0.4076059644443806]))
    }

    @Test func reductions() throws {
        let x = try buffer([1, 7, 3, 7, -2, 0])
        let y = try buffer([.nan, .nan, .nan])
        // 2×3 reduced over rows (inner = 3): sums [8, 5, 3]; argmax of all six: the first 7
        let columns = ReductionExtents(outer: 1, length: 2, inner: 3)
        try reference.reduce(.sum, input: x, output: y, extents: columns)
        #expect(try values(y, 3) == [8, 5, 3])
        try reference.reduce(.argmax, input: x, output: y, extents: ReductionExtents(outer: 1, length: 6, inner: 1))
        #expect(try values(y, 1) == [1])
        try reference.reduce(.max, input: x, output: y, extents: ReductionExtents(outer: 3, length: 0, inner: 1))
        #expect(try values(y, 3) == [-.infinity, -.infinity, -.infinity])
    }

    @Test func oneAdamStep() throws {
        // θ = 1, g = 0.5, γ = 0.1, β = (0.9, 0.999), ε = 1e-8, t = 1:
        // m = 0.05, v = (1 − β₂)·0.25, m̂ = 0.5, v̂ = 0.25, θ = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.90000000200
        let parameter = try buffer([1])
        let m = try buffer([0]), v = try buffer([0])
        try reference.optimizerUpdate(OptimizerUpdate(rule: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), learningRate: 0.1),
                                      parameter: parameter, gradient: buffer([0.5]), state: [m, v], count: 1)
        #expect(close(try values(parameter, 1), [0.900000002]))
        #expect(close(try values(m, 1), [0.05]))
        #expect(close(try values(v, 1), [Double(1 - Float(0.999)) * 0.25]))
    }

    @Test func cosineDistanceOfOrthogonalAndOpposite() throws {
        // x = (1, 0); anchors (0, 2) [class 0], (−3, 0) [class 1]: cosines 0 and −1,
        // S = [log 1, log 2] = [0, ln 2].
        let d = CosineDistanceProduct(rows: 1, features: 2, classes: 2, anchorsPerClass: 1)
        let logDistance = try buffer([.nan, .nan]), cosines = try buffer([.nan, .nan])
        try reference.cosineDistanceProduct(d, input: buffer([1, 0]), anchors: buffer([0, 2, -3, 0]), logDistance: logDistance, cosines: cosines)
        #expect(close(try values(cosines, 2), [0, -1]))
        #expect(close(try values(logDistance, 2), [0, log(2.0)]))
    }

    @Test func uniformFillMatchesPhiloxSample() throws {
        let y = try buffer([Float](repeating: .nan, count: 5))
        try reference.randomFill(.uniform(low: 0, high: 1), seed: 0, offset: 0, output: y, count: 5)
        let generator = Philox4x32(seed: 0)
        #expect(try values(y, 5) == (0..<5).map { generator.sample(.uniform(low: 0, high: 1), at: UInt64($0)) })
        // Element 0 of seed 0 is word 0x6627E8D5 of the known-answer vector: (0x6627E8D5 >> 8)·2⁻²⁴.
        #expect(try values(y, 1) == [Float(0x6627E8) * 0x1p-24])
    }
}
