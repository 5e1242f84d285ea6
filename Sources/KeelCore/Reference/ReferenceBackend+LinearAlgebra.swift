import Foundation

// GEMM and the cosine-distance product, as triple loops in Double.

extension ReferenceBackend {
    /// `C = α·op(A)·op(B) + β·C` for each batch entry; with `β == 0`, `C` is not read. `α == 0`
    /// still forms the product, so NaN and infinities in `A` and `B` reach `C` (`0·∞` is NaN).
    ///
    /// A triple loop with the dot products summed in Double: `O(batch·m·n·k)`.
    /// - Parameters:
    ///   - descriptor: The sizes, transposes, scalars and batch strides.
    ///   - a: A reference buffer holding `A`.
    ///   - b: A reference buffer holding `B`.
    ///   - c: A reference buffer holding `C`.
    public func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        let description = "gemm \(descriptor)"
        let required = descriptor.requiredCounts
        let a = checked(a, holds: required.a, "A", in: description)
        let b = checked(b, holds: required.b, "B", in: description)
        let c = checked(c, holds: required.c, "C", in: description)
        let (m, n, k) = (descriptor.m, descriptor.n, descriptor.k)
        let alpha = Double(descriptor.alpha)
        let beta = Double(descriptor.beta)
        for batch in 0..<descriptor.batchCount {
            let baseA = batch * descriptor.batchStrideA
            let baseB = batch * descriptor.batchStrideB
            let baseC = batch * descriptor.batchStrideC
            for row in 0..<m {
                for column in 0..<n {
                    var sum = 0.0
                    for inner in 0..<k {
                        let aValue = a[baseA + (descriptor.transposeA ? inner * m + row : row * k + inner)]
                        let bValue = b[baseB + (descriptor.transposeB ? column * k + inner : inner * n + column)]
                        sum += aValue * bValue
                    }
                    let index = baseC + row * n + column
                    c[index] = beta == 0 ? alpha * sum : alpha * sum + beta * c[index]
                }
            }
        }
    }

    /// The cosines `cᵢⱼ` (`m×K·P`) and `Sᵢₖ = Σₚ log(max(1 − cᵢ,ₖₚ, ε))` (`m×K`), exactly as
    /// ``CosineDistanceProduct`` defines them, with every dot product and norm in Double.
    ///
    /// Both clamps propagate NaN: a row or anchor holding a NaN or an infinity gives NaN cosines
    /// and NaN log-distances for every pair it is in.
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp.
    ///   - input: The `m×n` inputs.
    ///   - anchors: The `(K·P)×n` anchors.
    ///   - logDistance: The `m×K` result, overwritten.
    ///   - cosines: The `m×(K·P)` cosines, overwritten.
    public func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                      logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        let description = "cosineDistanceProduct \(descriptor)"
        let (m, n) = (descriptor.rows, descriptor.features)
        let (classes, perClass, anchorCount) = (descriptor.classes, descriptor.anchorsPerClass, descriptor.anchorCount)
        let input = checked(input, holds: m * n, "input", in: description)
        let anchors = checked(anchors, holds: anchorCount * n, "anchors", in: description)
        let logDistance = checked(logDistance, holds: m * classes, "logDistance", in: description)
        let cosines = checked(cosines, holds: m * anchorCount, "cosines", in: description)
        let floor = Double(CosineDistanceProduct.normFloor)
        let epsilon = Double(descriptor.epsilon)

        func flooredNorm(_ matrix: ReferenceBuffer, row: Int) -> Double {
            let squares = (0..<n).map { matrix[row * n + $0] * matrix[row * n + $0] }
            return Self.maximum(squares.reduce(0, +).squareRoot(), floor)
        }

        let anchorNorms = (0..<anchorCount).map { flooredNorm(anchors, row: $0) }
        for row in 0..<m {
            let inputNorm = flooredNorm(input, row: row)
            for anchor in 0..<anchorCount {
                let dot = (0..<n).map { input[row * n + $0] * anchors[anchor * n + $0] }.reduce(0, +)
                cosines[row * anchorCount + anchor] = dot / (inputNorm * anchorNorms[anchor])
            }
            for classIndex in 0..<classes {
                let terms = (0..<perClass).map { slot in
                    log(Self.maximum(1 - cosines[row * anchorCount + classIndex * perClass + slot], epsilon))
                }
                logDistance[row * classes + classIndex] = terms.reduce(0, +)
            }
        }
    }
}
