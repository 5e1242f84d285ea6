import KeelCore

/// An iteration over a shape that reads two strided operands and writes a contiguous output,
/// with size-1 axes dropped and neighbouring axes merged wherever both operands allow it.
///
/// After merging, the last extent is the inner run handed to a kernel; every other axis
/// becomes a "row". A binary broadcast of a row vector, a column vector or a scalar thus
/// reaches its kernel as a long inner run with operand strides of 1 or 0.
struct StridedLoop: Sendable {
    /// The merged extents, outermost first; never empty.
    let extents: [Int]
    /// The merged strides of the first operand.
    let strides0: [Int]
    /// The merged strides of the second operand.
    let strides1: [Int]

    init(shape: Shape, strides0 operand0: [Int], strides1 operand1: [Int]) {
        var extents: [Int] = []
        var strides0: [Int] = []
        var strides1: [Int] = []
        for axis in 0..<shape.rank where shape.dimensions[axis] != 1 {
            let extent = shape.dimensions[axis]
            if let last = extents.last, strides0[strides0.count - 1] == operand0[axis] * extent,
               strides1[strides1.count - 1] == operand1[axis] * extent {
                extents[extents.count - 1] = last * extent
                strides0[strides0.count - 1] = operand0[axis]
                strides1[strides1.count - 1] = operand1[axis]
            } else {
                extents.append(extent)
                strides0.append(operand0[axis])
                strides1.append(operand1[axis])
            }
        }
        if extents.isEmpty {
            (extents, strides0, strides1) = ([1], [0], [0])
        }
        self.extents = extents
        self.strides0 = strides0
        self.strides1 = strides1
    }

    /// Calls `kernel(outputIndex, offset0, offset1, count)` for runs covering every element once,
    /// on all threads when the shape is large. Runs step through the operands by
    /// `strides0.last` and `strides1.last` and through the output by 1.
    func run(_ kernel: @Sendable (_ output: Int, _ offset0: Int, _ offset1: Int, _ count: Int) -> Void) {
        let inner = extents[extents.count - 1]
        let (step0, step1) = (strides0[strides0.count - 1], strides1[strides1.count - 1])
        let rows = extents.dropLast().reduce(1, *)
        let elementGrain = 1 << 15
        guard inner > 0, rows > 0 else { return }
        if rows == 1 {
            Parallel.forEachChunk(of: inner, grain: elementGrain) { range in
                kernel(range.lowerBound, range.lowerBound * step0, range.lowerBound * step1, range.count)
            }
            return
        }
        Parallel.forEachChunk(of: rows, grain: Swift.max(1, elementGrain / inner)) { range in
            let outerRank = extents.count - 1
            var index = [Int](repeating: 0, count: outerRank)
            var (offset0, offset1) = (0, 0)
            var remainder = range.lowerBound
            for axis in stride(from: outerRank - 1, through: 0, by: -1) {
                index[axis] = remainder % extents[axis]
                remainder /= extents[axis]
                offset0 += index[axis] * strides0[axis]
                offset1 += index[axis] * strides1[axis]
            }
            for row in range {
                kernel(row * inner, offset0, offset1, inner)
                var axis = outerRank - 1
                while axis >= 0 {
                    index[axis] += 1
                    offset0 += strides0[axis]
                    offset1 += strides1[axis]
                    if index[axis] < extents[axis] { break }
                    offset0 -= strides0[axis] * extents[axis]
                    offset1 -= strides1[axis] * extents[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}

extension CPUBackend {
    /// Traps unless `view` has one stride per axis of `shape` and every element it reads lies in its buffer.
    func checkView(_ view: StridedView, shape: Shape, _ operation: @autoclosure () -> String, role: String) {
        precondition(view.strides.count == shape.rank,
                     "CPUBackend.\(operation()): \(role) has \(view.strides.count) strides for shape \(shape)")
        guard shape.elementCount > 0 else { return }
        var (lowest, highest) = (view.offset, view.offset)
        for (extent, stride) in zip(shape.dimensions, view.strides) {
            if stride > 0 { highest += (extent - 1) * stride } else { lowest += (extent - 1) * stride }
        }
        precondition(lowest >= 0 && highest < view.buffer.count,
                     "CPUBackend.\(operation()): \(role) (offset \(view.offset), strides \(view.strides)) over shape \(shape) reads elements \(lowest)...\(highest) of a buffer of \(view.buffer.count)")
    }
}
