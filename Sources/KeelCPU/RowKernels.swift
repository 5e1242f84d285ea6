/// Reductions of one contiguous run of elements, shared by reductions, softmax and norms.
enum RowKernels {
    /// The sum of `count` elements at `start`, in SIMD blocks of 4096 accumulated in Double,
    /// so the rounding error stays near that of 64 Float additions whatever the length.
    static func sum(_ start: UnsafePointer<Float>, count: Int) -> Double {
        blockedSum(start, count: count, squares: false)
    }

    /// The sum of squares of `count` elements at `start`, blocked like ``sum(_:count:)``.
    static func sumOfSquares(_ start: UnsafePointer<Float>, count: Int) -> Double {
        blockedSum(start, count: count, squares: true)
    }

    @inline(__always)
    private static func blockedSum(_ start: UnsafePointer<Float>, count: Int, squares: Bool) -> Double {
        let width = Vector.scalarCount
        var total: Double = 0
        var blockStart = 0
        while blockStart < count {
            let blockEnd = Swift.min(count, blockStart + 4096)
            var (even, odd) = (Vector(), Vector())
            var index = blockStart
            while index + 2 * width <= blockEnd {
                let (first, second) = (start.loadVector(at: index), start.loadVector(at: index + width))
                even += squares ? first * first : first
                odd += squares ? second * second : second
                index += 2 * width
            }
            while index < blockEnd {
                let lanes = Swift.min(width, blockEnd - index)
                let value = start.loadPartialVector(at: index, count: lanes)
                even += squares ? value * value : value
                index += lanes
            }
            total += Double((even + odd).sum())
            blockStart = blockEnd
        }
        return total
    }

    /// The largest of `count ≥ 1` elements at `start` and the index of its first occurrence (0
    /// when every element is −∞). A NaN counts as the largest, as in the reference: then the value
    /// is NaN and the index that of the first NaN.
    static func maximum(_ start: UnsafePointer<Float>, count: Int) -> (value: Float, index: Int) {
        let width = Vector.scalarCount
        var best = Vector(repeating: -.infinity)
        var sawNaN = SIMDMask<Vector.MaskStorage>(repeating: false)
        var index = 0
        while index + width <= count {
            let value = start.loadVector(at: index)
            best = best.replacing(with: value, where: value .> best)
            sawNaN .|= value .!= value
            index += width
        }
        var largest = any(sawNaN) ? Float.nan : best.max()
        while index < count {
            if replacesMaximum(start[index], largest) { largest = start[index] }
            index += 1
        }
        for position in 0..<count where start[position] == largest || (largest.isNaN && start[position].isNaN) {
            return (largest, position)
        }
        return (largest, 0)
    }

    /// Whether `value` replaces `best` as a running maximum scanned in order: it is larger, or it
    /// is the first NaN. Ties keep the earlier element.
    @inline(__always)
    static func replacesMaximum(_ value: Float, _ best: Float) -> Bool {
        value > best || (value.isNaN && !best.isNaN)
    }
}
