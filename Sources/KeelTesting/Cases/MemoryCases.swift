import KeelCore

extension Conformance {
    /// Upload/download round trips (bit-exact, special values, partial transfers) and `fill`.
    public static var memoryCases: [ConformanceCase] {
        var cases: [ConformanceCase] = []
        let specials: [Float] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                 .leastNormalMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 0x1p-130, .pi, .ulpOfOne]
        for count in [1, 15, 1031, 1 << 18] {
            cases.append(ConformanceCase(family: "memory", name: "memory round trip count=\(count)") { h in
                let values = Array((specials + h.data.normal(count, standardDeviation: 100)).prefix(count))
                let buffer = try Harness.upload(values, to: h.backend)
                try h.backend.synchronize()
                let back = try Harness.download(buffer, from: h.backend, count: count)
                return [Comparison(operation: "upload+download", descriptor: "count \(count)", got: back, expected: values,
                                   count: count, tolerance: .bitExact)]
            })
        }
        cases.append(ConformanceCase(family: "memory", name: "memory partial upload and download") { h in
            // Upload 4 values into the start of a 10-element buffer: the other 6 keep their contents;
            // then download only the first 7.
            let initial = h.data.uniform(10, -1, 1)
            let buffer = try Harness.upload(initial, to: h.backend)
            let head: [Float] = [1.5, -2.25, .nan, -0.0]
            try head.withUnsafeBufferPointer { try h.backend.upload($0, to: buffer) }
            let whole = try Harness.download(buffer, from: h.backend, count: 10)
            let prefix = try Harness.download(buffer, from: h.backend, count: 7)
            let expected = head + initial[4...]
            return [
                Comparison(operation: "upload", descriptor: "4 of 10 elements", got: whole, expected: expected, count: 10, tolerance: .bitExact),
                Comparison(operation: "download", descriptor: "7 of 10 elements", got: prefix, expected: Array(expected.prefix(7)), count: 7, tolerance: .bitExact),
            ]
        })
        for (count, value) in [(0, Float(3)), (1, -3.5), (7, 0), (1031, .infinity), (33, .nan), (1000, -0.0)] {
            cases.append(ConformanceCase(family: "fill", name: "fill count=\(count) value=\(value)") { h in
                let buffer = try h.input(h.data.uniform(count, -1, 1))
                try h.run { backend, side in try backend.fill(buffer[side], value: value, count: count) }
                return [try h.compare("fill", "value \(value), count \(count)", buffer, tolerance: .bitExact)]
            })
        }
        cases.append(ConformanceCase(family: "fill", name: "fill prefix of a larger buffer") { h in
            // Fills only the first 5 of 12 elements: the rest keep their values.
            let buffer = try h.input(h.data.uniform(12, -1, 1))
            try h.run { backend, side in try backend.fill(buffer[side], value: 2.5, count: 5) }
            return [try h.compare("fill", "count 5 of 12", buffer, tolerance: .bitExact)]
        })
        return cases
    }

    /// `copy` of strided, offset, transposed, broadcast and empty views.
    public static var copyCases: [ConformanceCase] {
        // (label, shape, strides, offset)
        let views: [(String, Shape, [Int], Int)] = [
            ("contiguous", [5, 7], [7, 1], 0),
            ("transposed 5×7", [7, 5], [1, 7], 0),
            ("offset with gaps", [3, 4], [10, 2], 3),
            ("row broadcast", [4, 3], [0, 1], 0),
            ("column broadcast", [3, 5], [1, 0], 2),
            ("scalar broadcast", [2, 3], [0, 0], 4),
            ("rank 0", [], [], 5),
            ("1×1", [1, 1], [1, 1], 0),
            ("NCHW→NHWC", [2, 6, 7, 5], [210, 7, 1, 42], 0),
            ("rank 5 permuted", [2, 1, 3, 2, 2], [1, 24, 8, 2, 4], 0),
            ("long strided", [1031], [3], 1),
            ("reversed inner strides", [3, 4, 5], [20, 1, 4], 7),
            ("empty", [3, 0, 4], [0, 4, 1], 0),
        ]
        return views.map { label, shape, strides, offset in
            ConformanceCase(family: "copy", name: "copy \(label) \(shape) strides \(strides) offset \(offset)") { h in
                let extent = offset + 1 + zip(shape.dimensions, strides).reduce(0) { $0 + max($1.0 - 1, 0) * $1.1 }
                let source = try h.input(h.data.uniform(extent, -10, 10))
                let output = try h.output(count: shape.elementCount)
                try h.run { backend, side in
                    try backend.copy(StridedView(source[side], offset: offset, strides: strides), to: output[side], shape: shape)
                }
                return [try h.compare("copy", "\(label) \(shape) strides \(strides) offset \(offset)", output, shape: shape, tolerance: .bitExact)]
            }
        }
    }
}
