/// The dimensions of a row-major tensor.
///
/// `Shape([2, 3])` is a 2×3 matrix; `Shape([])` is a scalar with one element. Shapes are also
/// array literals, so `[2, 3]` works wherever a `Shape` is expected; they print as `[2×3]`.
///
/// ```swift
/// let shape: Shape = [4, 1, 3]
/// shape.elementCount               // 12
/// shape.strides                    // [3, 3, 1]
/// shape[-1]                        // 3
/// shape.broadcast(with: [5, 3])    // [4×5×3]
/// ```
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The size of each dimension, outermost first.
    public let dimensions: [Int]

    /// Creates a shape; a negative dimension stops with a precondition failure.
    /// - Parameter dimensions: The size of each dimension, outermost first; 0 is allowed (an empty tensor).
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "Shape dimensions must be non-negative, got \(dimensions)")
        self.dimensions = dimensions
    }

    /// Creates a shape from an array literal, `[2, 3]`.
    /// - Parameter elements: The size of each dimension, outermost first, each `≥ 0`.
    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The number of dimensions.
    public var rank: Int { dimensions.count }

    /// The number of elements (1 for a scalar).
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// The size of dimension `axis`; negative axes count from the end.
    /// - Parameter axis: An axis in `-rank..<rank`; anything else stops with a precondition failure.
    public subscript(axis: Int) -> Int { dimensions[normalizedAxis(axis)] }

    /// Row-major strides in elements: the last axis has stride 1, each other the product of the
    /// dimensions after it.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: rank)
        var running = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= dimensions[axis]
        }
        return strides
    }

    /// Maps a possibly negative axis into `0..<rank`, trapping on an axis out of range.
    /// - Parameter axis: An axis in `-rank..<rank` (`-1` is the last).
    /// - Returns: The axis in `0..<rank`.
    public func normalizedAxis(_ axis: Int) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        precondition(normalized >= 0 && normalized < rank, "Axis \(axis) is out of range for shape \(self)")
        return normalized
    }

    /// The shape that two shapes broadcast to (NumPy rules), or `nil` if they are incompatible.
    ///
    /// Shapes are aligned at their last axes; the shorter is padded with leading 1s, and each
    /// pair of dimensions must be equal or contain a 1, which stretches to the other.
    /// - Parameter other: The other operand's shape.
    public func broadcast(with other: Shape) -> Shape? {
        let rank = Swift.max(self.rank, other.rank)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let lhs = index < rank - self.rank ? 1 : dimensions[index - (rank - self.rank)]
            let rhs = index < rank - other.rank ? 1 : other.dimensions[index - (rank - other.rank)]
            guard lhs == rhs || lhs == 1 || rhs == 1 else { return nil }
            result[index] = lhs == 1 ? rhs : lhs
        }
        return Shape(result)
    }

    /// Strides that read this shape as if it were broadcast to `target` (0 on broadcast axes).
    ///
    /// Pass them with the tensor's buffer as a ``StridedView`` to iterate it over `target`.
    /// - Parameter target: A shape this one broadcasts to; any other stops with a precondition failure.
    /// - Returns: One stride per axis of `target`.
    public func broadcastStrides(to target: Shape) -> [Int] {
        precondition(target.rank >= rank, "Cannot broadcast \(self) to \(target)")
        let own = strides
        let offset = target.rank - rank
        return (0..<target.rank).map { axis in
            guard axis >= offset else { return 0 }
            let dimension = dimensions[axis - offset]
            precondition(dimension == target.dimensions[axis] || dimension == 1, "Cannot broadcast \(self) to \(target)")
            return dimension == 1 ? 0 : own[axis - offset]
        }
    }

    /// The (outer, length, inner) factorisation used to reduce over the contiguous axes `axes`.
    /// - Parameter axes: A range of adjacent axes in `0...rank`.
    /// - Returns: The products of the dimensions before, inside and after `axes`.
    public func reductionExtents(over axes: Range<Int>) -> ReductionExtents {
        ReductionExtents(
            outer: dimensions[..<axes.lowerBound].reduce(1, *),
            length: dimensions[axes].reduce(1, *),
            inner: dimensions[axes.upperBound...].reduce(1, *))
    }

    /// The dimensions joined by `×` in brackets, for example `[2×3]` (`[]` for a scalar).
    public var description: String { "[" + dimensions.map(String.init).joined(separator: "×") + "]" }
}

/// A tensor seen as `outer × length × inner`, reduced over the middle extent.
///
/// Element `(o, l, i)` is at `(o·length + l)·inner + i`; reducing over `length` leaves the
/// `outer × inner` results at `o·inner + i`. ``Shape/reductionExtents(over:)`` computes it for a
/// range of axes: for a `[2×3×4]` tensor reduced over axis 1, `outer = 2, length = 3, inner = 4`.
public struct ReductionExtents: Hashable, Sendable {
    /// The product of the dimensions before the reduced ones.
    public var outer: Int
    /// The product of the reduced dimensions.
    public var length: Int
    /// The product of the dimensions after the reduced ones.
    public var inner: Int

    /// Creates the extents of a view.
    /// - Parameters:
    ///   - outer: The product of the dimensions before the reduced ones.
    ///   - length: The product of the reduced dimensions.
    ///   - inner: The product of the dimensions after the reduced ones.
    public init(outer: Int, length: Int, inner: Int) {
        self.outer = outer
        self.length = length
        self.inner = inner
    }

    /// The number of input elements (`outer·length·inner`).
    public var inputCount: Int { outer * length * inner }
    /// The number of output elements (`outer·inner`).
    public var outputCount: Int { outer * inner }
}
