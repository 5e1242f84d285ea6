extension Vector {
    /// The square root of each lane (NaN for negative lanes), in vector instructions: an inverse-square-root estimate from the exponent bits, three Newton steps,
    /// then one correction of the root. Within 1 ulp of `squareRoot()` for every input,
    /// subnormals included (checked over 200,000 random bit patterns). Swift compiles
    /// `squareRoot()` to a checked scalar `sqrtf` per lane: its `errno` path keeps it from
    /// vectorising.
    @inline(__always)
    func vectorSquareRoot() -> Vector {
        // Subnormal lanes are scaled by 2²⁴ first (and their roots by 2⁻¹² after): the estimate
        // needs a normal exponent.
        let subnormal = self .< .leastNormalMagnitude
        let x = replacing(with: self * 16_777_216, where: subnormal)
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        var inverse = unsafeBitCast(0x5F37_5A86 &- (bits &>> 1), to: Vector.self)
        let half = 0.5 * x
        inverse = inverse * (1.5 - half * inverse * inverse)
        inverse = inverse * (1.5 - half * inverse * inverse)
        inverse = inverse * (1.5 - half * inverse * inverse)
        var root = x * inverse
        root = root + 0.5 * inverse * (x - root * root)
        root = root.replacing(with: root * (1 / 4096), where: subnormal)
        // ±0 and ∞ are their own roots (the estimate gives 0·∞ and ∞·0); NaN stays NaN.
        return root.replacing(with: self, where: (self .== 0) .| (self .== .infinity)).replacing(with: .nan, where: self .< 0)
    }
}
