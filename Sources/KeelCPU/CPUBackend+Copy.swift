import KeelCore

extension CPUBackend {
    /// Gathers the strided view `source`, iterated over `shape`, into contiguous `output`.
    ///
    /// Axes are merged where the strides allow; then contiguous runs are block copies, broadcast
    /// runs are fills and other runs are strided loops, on the calling thread.
    /// - Parameters:
    ///   - source: A view of a CPU buffer, one stride per axis of `shape`; reading outside the
    ///     buffer stops with a precondition failure.
    ///   - output: A CPU buffer holding at least `shape.elementCount` elements.
    ///   - shape: The iteration shape.
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws {
        let input = source.buffer.as(CPUBuffer.self)
        let output = output.as(CPUBuffer.self)
        checkView(source, shape: shape, "copy", role: "the source")
        require(output, holds: shape.elementCount, "copy", "shape \(shape)", role: "an output")
        guard shape.elementCount > 0 else { return }
        let loop = StridedLoop(shape: shape, strides0: source.strides, strides1: [Int](repeating: 0, count: shape.rank))
        let step = loop.strides0[loop.strides0.count - 1]
        let base = source.offset
        loop.run { outputIndex, offset, _, count in
            let from = input.pointer + base + offset
            let to = output.pointer + outputIndex
            switch step {
            case 1: to.update(from: from, count: count)
            case 0: to.update(repeating: from.pointee, count: count)
            default: for index in 0..<count { to[index] = from[index * step] }
            }
        }
    }
}
