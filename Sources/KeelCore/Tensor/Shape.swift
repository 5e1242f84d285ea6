/// The dimensions of a row-major tensor.
///
/// `Shape([2, 3])` is a 2×3 matrix; `Shape([])` is a scalar with one element.
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The size of each dimension, outermost first.
    public let dimensions: [Int]

    /// Creates a shape; every dimension must be non-negative.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "Shape dimensions must be non-negative, got \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The number of dimensions.
    public var rank: Int { dimensions.count }

    /// The number of elements (1 for a scalar).
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// The size of dimension `axis`; negative axes count from the end.
    public subscript(axis: Int) -> Int { dimensions[normalizedAxis(axis)] }

    /// Row-major strides in elements.
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
    public func normalizedAxis(_ axis: Int) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        precondition(normalized >= 0 && normalized < rank, "Axis \(axis) is out of range for shape \(self)")
        return normalized
    }

    /// The shape that two shapes broadcast to (NumPy rules), or `nil` if they are incompatible.
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
    public func reductionExtents(over axes: Range<Int>) -> ReductionExtents {
        ReductionExtents(
            outer: dimensions[..<axes.lowerBound].reduce(1, *),
            length: dimensions[axes].reduce(1, *),
            inner: dimensions[axes.upperBound...].reduce(1, *))
    }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: "×") + "]" }
}

/// A tensor seen as `outer × length × inner`, reduced over the middle extent.
public struct ReductionExtents: Hashable, Sendable {
    /// The product of the dimensions before the reduced ones.
    public var outer: Int
    /// The product of the reduced dimensions.
    public var length: Int
    /// The product of the dimensions after the reduced ones.
    public var inner: Int

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
