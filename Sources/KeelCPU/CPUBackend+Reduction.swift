import KeelCore

extension CPUBackend {
    /// Reduces the middle extent of `input`, viewed as `outer × length × inner`, into `outer × inner`.
    ///
    /// With `inner == 1` each output reduces a contiguous row (SIMD, sums blocked into Double);
    /// long rows with fewer rows than threads are split into segments combined in order.
    /// With `inner > 1` whole vectors of neighbouring outputs are reduced together.
    /// An empty extent gives 0 (sum), −∞ (max) or 0 (argmax). A NaN counts as the largest element:
    /// `max` is NaN and `argmax` the index of the first NaN.
    /// - Parameters:
    ///   - operation: Sum, maximum or argmax (the first largest element's index, as a Float).
    ///   - input: A CPU buffer holding at least `extents.inputCount` elements.
    ///   - output: A CPU buffer holding at least `extents.outputCount` elements.
    ///   - extents: The view of `input`.
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer,
                       extents: ReductionExtents) throws {
        let input = input.as(CPUBuffer.self)
        let output = output.as(CPUBuffer.self)
        require(input, holds: extents.inputCount, "reduce(\(operation))", "\(extents)", role: "an input")
        require(output, holds: extents.outputCount, "reduce(\(operation))", "\(extents)", role: "an output")
        guard extents.outputCount > 0 else { return }
        guard extents.length > 0 else {
            try fill(output, value: operation == .max ? -.infinity : 0, count: extents.outputCount)
            return
        }
        if extents.inner == 1 {
            try reduceRows(operation, input, output, rows: extents.outer, length: extents.length)
        } else {
            reduceColumns(operation, input, output, extents)
        }
    }

    /// The reduction of each contiguous row of a `rows × length` matrix.
    private func reduceRows(_ operation: ReductionOperation, _ input: CPUBuffer, _ output: CPUBuffer, rows: Int, length: Int) throws {
        let segmentLength = 1 << 15
        let segments = rows >= Parallel.threadCount ? 1 : Swift.min(Parallel.threadCount, length / segmentLength)
        guard segments > 1 else {
            Parallel.forEachChunk(of: rows, grain: Swift.max(1, segmentLength / length)) { range in
                for row in range {
                    let start = UnsafePointer(input.pointer + row * length)
                    output.pointer[row] = Self.reduceRun(operation, start, count: length)
                }
            }
            return
        }
        // Few long rows: reduce `segments` pieces of each row in parallel, then combine in order.
        let partial = try CPUBuffer(count: 2 * segments)
        for row in 0..<rows {
            let start = UnsafePointer(input.pointer + row * length)
            let shared = SharedPointer(start)
            Parallel.forEachChunk(of: segments, grain: 1) { range in
                for segment in range {
                    let lower = length * segment / segments
                    let upper = length * (segment + 1) / segments
                    let piece = UnsafePointer(shared.base + lower)
                    switch operation {
                    case .sum:
                        partial.pointer[segment] = Float(RowKernels.sum(piece, count: upper - lower))
                    case .max, .argmax:
                        let (value, index) = RowKernels.maximum(piece, count: upper - lower)
                        partial.pointer[2 * segment] = value
                        partial.pointer[2 * segment + 1] = Float(lower + index)
                    }
                }
            }
            switch operation {
            case .sum:
                output.pointer[row] = Float((0..<segments).reduce(0.0) { $0 + Double(partial.pointer[$1]) })
            case .max, .argmax:
                var best = 0
                for segment in 1..<segments where RowKernels.replacesMaximum(partial.pointer[2 * segment], partial.pointer[2 * best]) {
                    best = segment
                }
                output.pointer[row] = partial.pointer[2 * best + (operation == .max ? 0 : 1)]
            }
        }
    }

    /// One contiguous run's sum, maximum or index of the first maximum.
    private static func reduceRun(_ operation: ReductionOperation, _ start: UnsafePointer<Float>, count: Int) -> Float {
        switch operation {
        case .sum: Float(RowKernels.sum(start, count: count))
        case .max: RowKernels.maximum(start, count: count).value
        case .argmax: Float(RowKernels.maximum(start, count: count).index)
        }
    }

    /// Reduces `length` rows of `inner` neighbouring outputs at a time, a vector of outputs per step.
    private func reduceColumns(_ operation: ReductionOperation, _ input: CPUBuffer, _ output: CPUBuffer, _ extents: ReductionExtents) {
        let (length, inner) = (extents.length, extents.inner)
        let span = 1024
        let spansPerOuter = (inner + span - 1) / span
        let width = Vector.scalarCount
        Parallel.forEachChunk(of: extents.outer * spansPerOuter, grain: Swift.max(1, (1 << 15) / (length * Swift.min(inner, span)))) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: span) { first in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: span) { totals in
                    let (partial, totals) = (first.baseAddress!, totals.baseAddress!)
                    for task in range {
                        let outer = task / spansPerOuter
                        let lower = (task % spansPerOuter) * span
                        let columns = Swift.min(span, inner - lower)
                        let source = UnsafePointer(input.pointer + outer * length * inner + lower)
                        let destination = output.pointer + outer * inner + lower
                        switch operation {
                        case .sum:
                            totals.update(repeating: 0, count: columns)
                            for blockStart in stride(from: 0, to: length, by: 64) {
                                partial.update(repeating: 0, count: columns)
                                for step in blockStart..<Swift.min(length, blockStart + 64) {
                                    let row = source + step * inner
                                    for column in stride(from: 0, to: columns, by: width) {
                                        let lanes = Swift.min(width, columns - column)
                                        partial.storeVector(partial.loadVector(at: column, lanes: lanes)
                                            + row.loadVector(at: column, lanes: lanes), at: column, lanes: lanes)
                                    }
                                }
                                for column in 0..<columns { totals[column] += Double(partial[column]) }
                            }
                            for column in 0..<columns { destination[column] = Float(totals[column]) }
                        case .max, .argmax:
                            // `partial` holds the running maxima and `destination` the running indices.
                            partial.update(repeating: -.infinity, count: columns)
                            destination.update(repeating: 0, count: columns)
                            for step in 0..<length {
                                let row = source + step * inner
                                let position = Vector(repeating: Float(step))
                                for column in stride(from: 0, to: columns, by: width) {
                                    let lanes = Swift.min(width, columns - column)
                                    let value = row.loadVector(at: column, lanes: lanes)
                                    let best = partial.loadVector(at: column, lanes: lanes)
                                    // Larger, or the first NaN (as `RowKernels.replacesMaximum`).
                                    let wins = (value .> best) .| ((value .!= value) .& (best .== best))
                                    partial.storeVector(best.replacing(with: value, where: wins), at: column, lanes: lanes)
                                    if operation == .argmax {
                                        let index = destination.loadVector(at: column, lanes: lanes)
                                        destination.storeVector(index.replacing(with: position, where: wins), at: column, lanes: lanes)
                                    }
                                }
                            }
                            if operation == .max { destination.update(from: partial, count: columns) }
                        }
                    }
                }
            }
        }
    }
}
