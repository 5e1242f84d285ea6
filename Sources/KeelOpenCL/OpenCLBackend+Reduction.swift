import KeelCore

extension OpenCLBackend {
    /// Reduces the middle extent of `input`, viewed as `outer × length × inner`, into `outer × inner`.
    ///
    /// Each pass reduces parts of every line into partial results, and passes repeat until one part
    /// is left: long lines become a tree of short float sums, reduced by many work-items even when
    /// there are few lines. An empty extent gives 0 (sum), −∞ (max) or 0 (argmax).
    /// - Parameters:
    ///   - operation: Sum, maximum or argmax (the first largest element's index, as a Float).
    ///   - input: An OpenCL buffer holding at least `extents.inputCount` elements.
    ///   - output: An OpenCL buffer holding at least `extents.outputCount` elements.
    ///   - extents: The view of `input`.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer,
                       extents: ReductionExtents) throws {
        let (input, output) = (input.as(OpenCLBuffer.self), output.as(OpenCLBuffer.self))
        require(input, holds: extents.inputCount, "reduce(\(operation))", "\(extents)", role: "an input")
        require(output, holds: extents.outputCount, "reduce(\(operation))", "\(extents)", role: "an output")
        guard extents.outputCount > 0 else { return }
        guard extents.length > 0 else {
            return try fill(output, value: operation == .max ? -.infinity : 0, count: extents.outputCount)
        }
        let program = try programs.program("reduce")
        let (outer, inner) = (extents.outer, extents.inner)
        let rows = inner == 1
        var (values, positions, length) = (input, OpenCLBuffer?.none, extents.length)
        repeat {
            let segment = Self.reductionSegment(length: length, lines: outer * inner,
                                                range: rows ? Self.rowSegments : Self.lineSegments)
            let parts = (length + segment - 1) / segment
            let last = parts == 1
            // Rows: (parts, outer) work-items; otherwise (8 lines, parts, outer).
            let global = rows ? [parts, outer] : [(inner + 7) / 8, parts, outer]
            let shape: [KernelArgument] = rows ? [.int(outer), .int(length), .int(segment)]
                : [.int(outer), .int(length), .int(inner), .int(segment)]
            switch operation {
            case .sum:
                let sums = last ? output : try scratch(count: outer * parts * inner)
                try runtime.launch(program, rows ? "sum_rows" : "sum", global: global, local: workGroup(for: global),
                                   [.buffer(values)] + shape + [.buffer(sums)])
                values = sums
            case .max, .argmax:
                let maxima = last && operation == .max ? output : try scratch(count: outer * parts * inner)
                let indices = last && operation == .argmax ? output : try scratch(count: outer * parts * inner)
                try runtime.launch(program, rows ? "maximum_rows" : "maximum", global: global, local: workGroup(for: global),
                                   [.buffer(values), .buffer(positions ?? values), .int(positions == nil ? 0 : 1)] + shape
                                       + [.buffer(maxima), .buffer(indices)])
                (values, positions) = (maxima, indices)
            }
            length = parts
        } while length > 1
    }

    /// Softmax (or log-softmax) over the middle extent of `outer × length × inner`, fused: a
    /// work-item takes a row (or 8 neighbouring lines) through the maximum, the compensated sum of
    /// exponentials, then the results.
    /// - Parameters:
    ///   - input: An OpenCL buffer holding at least `extents.inputCount` elements.
    ///   - output: An OpenCL buffer holding at least `extents.inputCount` elements.
    ///   - extents: The view of `input`; the softmax runs along `length`.
    ///   - logarithmic: Whether to produce log-softmax.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws {
        let (input, output) = (input.as(OpenCLBuffer.self), output.as(OpenCLBuffer.self))
        let operation = logarithmic ? "logSoftmax" : "softmax"
        require(input, holds: extents.inputCount, operation, "\(extents)", role: "an input")
        require(output, holds: extents.inputCount, operation, "\(extents)", role: "an output")
        guard extents.inputCount > 0 else { return }
        let program = try programs.program("reduce")
        let (outer, length, inner) = (extents.outer, extents.length, extents.inner)
        if inner == 1 {
            try runtime.launch(program, "softmax_rows", global: [outer], local: workGroup(for: [outer]), [
                .buffer(input), .buffer(output), .int(outer), .int(length), .int(logarithmic ? 1 : 0),
            ])
        } else {
            let global = [(inner + 7) / 8, outer]
            try runtime.launch(program, "softmax_lines", global: global, local: workGroup(for: global), [
                .buffer(input), .buffer(output), .int(outer), .int(length), .int(inner), .int(logarithmic ? 1 : 0),
            ])
        }
    }

    /// The segment lengths of the row kernels (8 lanes, so float sums of at most 256 terms) and of
    /// the line kernels (a line per lane).
    private static let rowSegments = 256...2048
    private static let lineSegments = 64...256
    /// The work-items a pass aims for (in all lines) before segments reach their minimum.
    private static let reductionWorkItems = 4096

    /// Elements per work-item in a pass over `lines` lines of `length`: about
    /// ``reductionWorkItems`` work-items in all, within `range`.
    private static func reductionSegment(length: Int, lines: Int, range: ClosedRange<Int>) -> Int {
        let spread = (length * lines + reductionWorkItems - 1) / reductionWorkItems
        return Swift.min(Swift.max(spread, range.lowerBound), range.upperBound)
    }
}
