import KeelCore

extension Conformance {
    /// Convolution configurations: strides, padding (also wider than the kernel), dilation,
    /// groups incl. depthwise, 1×1 kernels, odd sizes, a kernel covering the whole image, batch 0.
    public static var convolutionDescriptors: [Convolution2D] {
        [
            Convolution2D(batch: 2, inputChannels: 3, inputHeight: 7, inputWidth: 7, outputChannels: 4, kernelHeight: 3, kernelWidth: 3),
            Convolution2D(batch: 1, inputChannels: 3, inputHeight: 11, inputWidth: 13, outputChannels: 5, kernelHeight: 3, kernelWidth: 5,
                          stride: (2, 3), padding: (1, 2)),
            Convolution2D(batch: 2, inputChannels: 2, inputHeight: 9, inputWidth: 10, outputChannels: 3, kernelHeight: 3, kernelWidth: 3,
                          padding: (2, 2), dilation: (2, 2)),
            Convolution2D(batch: 1, inputChannels: 2, inputHeight: 8, inputWidth: 8, outputChannels: 2, kernelHeight: 3, kernelWidth: 2,
                          stride: (2, 2), dilation: (1, 3)),
            Convolution2D(batch: 2, inputChannels: 4, inputHeight: 6, inputWidth: 5, outputChannels: 6, kernelHeight: 3, kernelWidth: 3,
                          padding: (1, 1), groups: 2),
            Convolution2D(batch: 2, inputChannels: 5, inputHeight: 9, inputWidth: 7, outputChannels: 5, kernelHeight: 3, kernelWidth: 3,
                          stride: (2, 2), padding: (1, 1), groups: 5),
            Convolution2D(batch: 1, inputChannels: 3, inputHeight: 5, inputWidth: 6, outputChannels: 6, kernelHeight: 2, kernelWidth: 2,
                          groups: 3),
            Convolution2D(batch: 3, inputChannels: 7, inputHeight: 6, inputWidth: 5, outputChannels: 5, kernelHeight: 1, kernelWidth: 1),
            Convolution2D(batch: 2, inputChannels: 3, inputHeight: 7, inputWidth: 6, outputChannels: 4, kernelHeight: 1, kernelWidth: 1,
                          stride: (2, 2)),
            Convolution2D(batch: 1, inputChannels: 2, inputHeight: 4, inputWidth: 3, outputChannels: 3, kernelHeight: 1, kernelWidth: 1,
                          padding: (2, 1)),
            Convolution2D(batch: 1, inputChannels: 1, inputHeight: 1, inputWidth: 1, outputChannels: 1, kernelHeight: 1, kernelWidth: 1),
            Convolution2D(batch: 2, inputChannels: 3, inputHeight: 5, inputWidth: 5, outputChannels: 2, kernelHeight: 5, kernelWidth: 5),
            Convolution2D(batch: 1, inputChannels: 2, inputHeight: 8, inputWidth: 9, outputChannels: 3, kernelHeight: 3, kernelWidth: 3,
                          stride: (2, 2)),
            Convolution2D(batch: 0, inputChannels: 3, inputHeight: 6, inputWidth: 6, outputChannels: 4, kernelHeight: 3, kernelWidth: 3,
                          padding: (1, 1)),
            // Row-vectorised direct loops (unit width stride, no width padding): 18 columns (a
            // 16-lane vector and an overlapping one), and 13 columns with dilation, a height
            // stride and height padding (8-lane vectors).
            Convolution2D(batch: 2, inputChannels: 2, inputHeight: 5, inputWidth: 20, outputChannels: 3, kernelHeight: 3, kernelWidth: 3),
            Convolution2D(batch: 2, inputChannels: 3, inputHeight: 9, inputWidth: 15, outputChannels: 4, kernelHeight: 3, kernelWidth: 2,
                          stride: (2, 1), padding: (1, 0), dilation: (1, 2)),
            // LeNet-5's second convolution (the model's shape).
            Convolution2D(batch: 4, inputChannels: 6, inputHeight: 12, inputWidth: 12, outputChannels: 16, kernelHeight: 5, kernelWidth: 5),
        ]
    }

    /// The forward pass of `d` against the reference, on seeded inputs in [−1, 1].
    ///
    /// The tolerance is ``Tolerance/accumulation(length:magnitudes:constant:)`` with
    /// `L = C/groups·KH·KW`.
    ///
    /// - Parameter d: the convolution to check, for example the shape of a model's layer.
    public static func convolutionForwardCase(_ d: Convolution2D) -> ConformanceCase {
        ConformanceCase(family: "conv2d", name: "conv2d forward \(d)") { h in
            let x = h.data.uniform(d.inputShape.elementCount, -1, 1)
            let w = h.data.uniform(d.filterShape.elementCount, -1, 1)
            let (tx, tw) = (try h.input(x), try h.input(w))
            let ty = try h.output(count: d.outputShape.elementCount)
            try h.run { backend, side in try backend.conv2d(d, input: tx[side], filter: tw[side], output: ty[side]) }
            let magnitudes = try h.onReference([x.magnitudes, w.magnitudes], output: [Float](repeating: 0, count: ty.count)) {
                try $0.conv2d(d, input: $1[0], filter: $1[1], output: $2)
            }
            let length = d.inputChannels / d.groups * d.kernelHeight * d.kernelWidth
            return [try h.compare("conv2d", "\(d)", ty, shape: d.outputShape, tolerance: .accumulation(length: length, magnitudes: magnitudes))]
        }
    }

    /// Forward, backward-data and backward-filter passes of every convolution descriptor.
    public static var convolutionCases: [ConformanceCase] {
        convolutionDescriptors.flatMap { d -> [ConformanceCase] in
            let label = "\(d)"
            let reductionPerInput = (d.outputChannels / d.groups)
                * ((d.kernelHeight + d.strideHeight - 1) / d.strideHeight) * ((d.kernelWidth + d.strideWidth - 1) / d.strideWidth)
            return [
                convolutionForwardCase(d),
                ConformanceCase(family: "conv2d", name: "conv2d backward data \(label)") { h in
                    let dy = h.data.uniform(d.outputShape.elementCount, -1, 1)
                    let w = h.data.uniform(d.filterShape.elementCount, -1, 1)
                    let (tdy, tw) = (try h.input(dy), try h.input(w))
                    let tdx = try h.output(count: d.inputShape.elementCount)
                    try h.run { backend, side in
                        try backend.conv2dBackwardData(d, outputGradient: tdy[side], filter: tw[side], inputGradient: tdx[side])
                    }
                    let magnitudes = try h.onReference([dy.magnitudes, w.magnitudes], output: [Float](repeating: 0, count: tdx.count)) {
                        try $0.conv2dBackwardData(d, outputGradient: $1[0], filter: $1[1], inputGradient: $2)
                    }
                    return [try h.compare("conv2dBackwardData", label, tdx, shape: d.inputShape,
                                          tolerance: .accumulation(length: reductionPerInput, magnitudes: magnitudes))]
                },
                ConformanceCase(family: "conv2d", name: "conv2d backward filter \(label)") { h in
                    let x = h.data.uniform(d.inputShape.elementCount, -1, 1)
                    let dy = h.data.uniform(d.outputShape.elementCount, -1, 1)
                    let (tx, tdy) = (try h.input(x), try h.input(dy))
                    let tdw = try h.output(count: d.filterShape.elementCount)
                    try h.run { backend, side in
                        try backend.conv2dBackwardFilter(d, input: tx[side], outputGradient: tdy[side], filterGradient: tdw[side])
                    }
                    let magnitudes = try h.onReference([x.magnitudes, dy.magnitudes], output: [Float](repeating: 0, count: tdw.count)) {
                        try $0.conv2dBackwardFilter(d, input: $1[0], outputGradient: $1[1], filterGradient: $2)
                    }
                    let length = d.batch * d.outputHeight * d.outputWidth
                    return [try h.compare("conv2dBackwardFilter", label, tdw, shape: d.filterShape,
                                          tolerance: .accumulation(length: length, magnitudes: magnitudes))]
                },
            ]
        }
    }

    /// Pooling configurations: max with ties and all-negative padded inputs, average with padding
    /// excluded from the divisor, stride ≠ window (overlapping and gapped), batch 0.
    public static var poolingDescriptors: [(Pooling2D, String)] {
        [
            (Pooling2D(kind: .max, batch: 2, channels: 3, inputHeight: 8, inputWidth: 8, window: (2, 2)), "ties"),
            // Odd sides leave a last row and column in no window (LeNet's 13×13 → 6×6).
            (Pooling2D(kind: .max, batch: 2, channels: 2, inputHeight: 7, inputWidth: 9, window: (2, 2)), "ties"),
            (Pooling2D(kind: .max, batch: 1, channels: 2, inputHeight: 9, inputWidth: 11, window: (3, 3), stride: (2, 2), padding: (1, 1)), "negative"),
            (Pooling2D(kind: .max, batch: 2, channels: 2, inputHeight: 7, inputWidth: 6, window: (3, 2), stride: (1, 2)), "ties"),
            (Pooling2D(kind: .max, batch: 1, channels: 3, inputHeight: 5, inputWidth: 5, window: (5, 5)), "ties"),
            (Pooling2D(kind: .max, batch: 2, channels: 1, inputHeight: 7, inputWidth: 5, window: (1, 1), stride: (2, 2)), "ties"),
            (Pooling2D(kind: .max, batch: 1, channels: 2, inputHeight: 10, inputWidth: 7, window: (2, 3), stride: (3, 4), padding: (1, 1)), "negative"),
            (Pooling2D(kind: .max, batch: 0, channels: 2, inputHeight: 4, inputWidth: 4, window: (2, 2)), "ties"),
            (Pooling2D(kind: .max, batch: 1, channels: 1, inputHeight: 1, inputWidth: 1, window: (1, 1)), "ties"),
            (Pooling2D(kind: .max, batch: 4, channels: 6, inputHeight: 24, inputWidth: 24, window: (2, 2)), "random"),
            (Pooling2D(kind: .average, batch: 2, channels: 3, inputHeight: 8, inputWidth: 8, window: (2, 2)), "random"),
            (Pooling2D(kind: .average, batch: 1, channels: 2, inputHeight: 9, inputWidth: 11, window: (3, 3), stride: (2, 2), padding: (1, 1)), "positive"),
            (Pooling2D(kind: .average, batch: 1, channels: 1, inputHeight: 5, inputWidth: 5, window: (3, 3), stride: (1, 1), padding: (1, 1)), "positive"),
            (Pooling2D(kind: .average, batch: 2, channels: 2, inputHeight: 7, inputWidth: 8, window: (2, 3), stride: (3, 1), padding: (1, 1)), "random"),
            (Pooling2D(kind: .average, batch: 0, channels: 2, inputHeight: 4, inputWidth: 4, window: (2, 2)), "random"),
            (Pooling2D(kind: .average, batch: 1, channels: 1, inputHeight: 1, inputWidth: 1, window: (1, 1)), "random"),
        ]
    }

    /// Forward and backward passes of every pooling descriptor.
    public static var poolingCases: [ConformanceCase] {
        poolingDescriptors.flatMap { d, data -> [ConformanceCase] in
            let label = "\(d) \(data) data"
            @Sendable func input(_ h: Harness) -> [Float] {
                switch data {
                case "ties": h.data.quantized(d.inputShape.elementCount, step: 0.5, -3...3)
                case "negative": h.data.quantized(d.inputShape.elementCount, step: 0.25, -12 ... -1)
                case "positive": h.data.uniform(d.inputShape.elementCount, 0.5, 2)
                default: h.data.uniform(d.inputShape.elementCount, -1, 1)
                }
            }
            let overlap = ((d.windowHeight + d.strideHeight - 1) / d.strideHeight) * ((d.windowWidth + d.strideWidth - 1) / d.strideWidth)
            return [
                ConformanceCase(family: "pool2d", name: "pool2d forward \(label)") { h in
                    let x = input(h)
                    let tx = try h.input(x)
                    let ty = try h.output(count: d.outputShape.elementCount)
                    try h.run { backend, side in try backend.pool2d(d, input: tx[side], output: ty[side]) }
                    let tolerance: Tolerance
                    if d.kind == .max {
                        tolerance = .exact
                    } else {
                        let magnitudes = try h.onReference([x.magnitudes], output: [Float](repeating: 0, count: ty.count)) {
                            try $0.pool2d(d, input: $1[0], output: $2)
                        }
                        tolerance = .accumulation(length: d.windowHeight * d.windowWidth, magnitudes: magnitudes)
                    }
                    return [try h.compare("pool2d", label, ty, shape: d.outputShape, tolerance: tolerance)]
                },
                ConformanceCase(family: "pool2d", name: "pool2d backward \(label)") { h in
                    let x = input(h)
                    // Gradients in multiples of 1/8: overlapping windows sum them exactly in any order.
                    let dy = h.data.quantized(d.outputShape.elementCount, step: 0.125, -16...16)
                    let (tx, tdy) = (try h.input(x), try h.input(dy))
                    let tdx = try h.output(count: d.inputShape.elementCount)
                    try h.run { backend, side in
                        try backend.pool2dBackward(d, input: tx[side], outputGradient: tdy[side], inputGradient: tdx[side])
                    }
                    let tolerance: Tolerance
                    if d.kind == .max {
                        tolerance = .exact
                    } else {
                        let magnitudes = try h.onReference([x, dy.magnitudes], output: [Float](repeating: 0, count: tdx.count)) {
                            try $0.pool2dBackward(d, input: $1[0], outputGradient: $1[1], inputGradient: $2)
                        }
                        tolerance = .accumulation(length: overlap, magnitudes: magnitudes)
                    }
                    return [try h.compare("pool2dBackward", label, tdx, shape: d.inputShape, tolerance: tolerance)]
                },
            ]
        }
    }
}
