import KeelCore

/// One binary operation on whole vectors; ``CPUBackend/binary(_:_:_:output:shape:)`` is
/// generic over it so each operation gets its own specialised loops.
protocol BinaryKernel: SendableMetatype {
    static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector
}

/// `a + b`
enum AddKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector { lhs + rhs }
}

/// `a − b`
enum SubtractKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector { lhs - rhs }
}

/// `a · b`
enum MultiplyKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector { lhs * rhs }
}

/// `a / b`
enum DivideKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector { lhs / rhs }
}

/// `max(a, b)` as `Swift.max` computes it (`b` when `b ≥ a`, else `a`), and NaN when either is
/// NaN: `a` when it is NaN (no comparison holds), `b` when it is.
enum MaximumKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector {
        lhs.replacing(with: rhs, where: (rhs .>= lhs) .| (rhs .!= rhs))
    }
}

/// `min(a, b)` as `Swift.min` computes it (`b` when `b < a`, else `a`), and NaN when either is
/// NaN: `a` when it is NaN (no comparison holds), `b` when it is.
enum MinimumKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector {
        lhs.replacing(with: rhs, where: (rhs .< lhs) .| (rhs .!= rhs))
    }
}

/// `1` if `a > b`, else `0`.
enum GreaterKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector { Vector().replacing(with: 1, where: lhs .> rhs) }
}

/// `1` if `a == b`, else `0`.
enum EqualKernel: BinaryKernel {
    @inline(__always) static func apply(_ lhs: Vector, _ rhs: Vector) -> Vector { Vector().replacing(with: 1, where: lhs .== rhs) }
}
