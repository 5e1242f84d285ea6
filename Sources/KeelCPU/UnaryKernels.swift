import Foundation
import KeelCore

/// One unary operation on a whole vector; ``CPUBackend/unary(_:input:output:count:)`` is
/// generic over it so each operation gets its own specialised loop.
protocol UnaryKernel: Sendable {
    func callAsFunction(_ x: Vector) -> Vector
}

/// `−x`
struct NegateKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { -x }
}

/// `max(x, 0)`; NaN stays NaN, as the contract says (a NaN turned into 0 would hide a diverged
/// training run behind finite losses).
struct ReLUKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { x.replacing(with: 0, where: x .<= 0) }
}

/// `scale·x + shift`
struct AffineKernel: UnaryKernel {
    let scale: Float
    let shift: Float
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { x * scale + shift }
}

/// `|x|`
struct AbsKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Vector.self)
    }
}

/// `−1`, `0` or `1` by the sign of `x`.
struct SignKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector {
        Vector().replacing(with: 1, where: x .> 0).replacing(with: -1, where: x .< 0)
    }
}

/// `1` if `x > 0`, else `0`.
struct StepKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { Vector().replacing(with: 1, where: x .> 0) }
}

/// `x²`
struct SquareKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { x * x }
}

/// `√x`
struct SquareRootKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { x.vectorSquareRoot() }
}

/// `1 / x`
struct ReciprocalKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { 1 / x }
}

/// `x` if `x > 0`, else `slope·x`.
struct LeakyReLUKernel: UnaryKernel {
    let slope: Float
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { (x * slope).replacing(with: x, where: x .> 0) }
}

/// `min(max(x, lower), upper)`
struct ClampKernel: UnaryKernel {
    let lower: Float
    let upper: Float
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector {
        let raised = x.replacing(with: lower, where: x .< lower)
        return raised.replacing(with: upper, where: raised .> upper)
    }
}

/// A function with no vector form, applied lane by lane through Foundation's scalar maths.
struct ScalarKernel: UnaryKernel {
    let function: @Sendable (Float) -> Float
    @inline(__always) func callAsFunction(_ x: Vector) -> Vector { x.mapLanes(function) }
}

extension ScalarKernel {
    static let exp = ScalarKernel { Foundation.exp($0) }
    static let log = ScalarKernel { Foundation.log($0) }
    static let tanh = ScalarKernel { Foundation.tanh($0) }
    /// `1 / (1 + e⁻ˣ)`, through `eˣ / (1 + eˣ)` for negative `x` so nothing overflows.
    static let sigmoid = ScalarKernel { x in
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
    /// `ln(1 + eˣ)` as `max(x, 0) + ln(1 + e^−|x|)`, which cannot overflow.
    static let softplus = ScalarKernel { x in Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }
    static let selu = ScalarKernel { x in
        x > 0 ? UnaryOperation.seluScale * x : UnaryOperation.seluScale * UnaryOperation.seluAlpha * Foundation.expm1(x)
    }

    static func elu(alpha: Float) -> ScalarKernel {
        ScalarKernel { x in x > 0 ? x : alpha * Foundation.expm1(x) }
    }
}
