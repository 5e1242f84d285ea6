extension Vector {
    /// The natural logarithm of each lane, for positive normal finite lanes (NaN stays NaN).
    ///
    /// Cephes' `logf`: split `x = m·2ᵉ` with `m ∈ [√½, √2)`, a degree-9 polynomial for
    /// `ln(1 + (m − 1))`, and `e·ln 2` added in two parts; within 2 ulp of `Foundation.log`.
    @inline(__always)
    func naturalLogarithm() -> Vector {
        let bits = unsafeBitCast(self, to: SIMD16<UInt32>.self)
        // The biased exponent, converted to Float exactly by planting it under 2²³'s mantissa.
        let planted = unsafeBitCast((bits &>> 23) | 0x4B00_0000, to: Vector.self)
        var exponent = planted - (8_388_608 + 126)
        let mantissa = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: Vector.self)
        let small = mantissa .< 0.707106781186547524
        exponent = exponent.replacing(with: exponent - 1, where: small)
        let f = mantissa.replacing(with: mantissa + mantissa, where: small) - 1
        let z = f * f
        // Horner steps as explicit fused multiply-adds: written `p * f + c`, LLVM reassociates the
        // constants and scalarises half the lanes (3× slower).
        @inline(__always) func step(_ p: Vector, _ coefficient: Float) -> Vector { Vector(repeating: coefficient).addingProduct(p, f) }
        var p = step(Vector(repeating: 7.0376836292e-2), -1.1514610310e-1)
        p = step(p, 1.1676998740e-1)
        p = step(p, -1.2420140846e-1)
        p = step(p, 1.4249322787e-1)
        p = step(p, -1.6668057665e-1)
        p = step(p, 2.0000714765e-1)
        p = step(p, -2.4999993993e-1)
        p = step(p, 3.3333331174e-1)
        var y = p * f * z
        y = y.addingProduct(exponent, Vector(repeating: -2.12194440e-4))
        y = y.addingProduct(z, Vector(repeating: -0.5))
        let result = (f + y).addingProduct(exponent, Vector(repeating: 0.693359375))
        return result.replacing(with: .nan, where: self .!= self)
    }
}
