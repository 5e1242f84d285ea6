import Foundation
import KeelCore

extension CPUBackend {
    /// The anchor classifier's log cosine-distance product, fused around one GEMM.
    ///
    /// One pass over `X` and one over `A` give the inverse row norms `1/max(|row|, ν)`; `sgemm`
    /// writes `X·Aᵀ` into `cosines`; one epilogue pass over `cosines` scales each dot product by
    /// both inverse norms, writes the cosine, and sums `log(max(1 − c, ε))` over each class's `P`
    /// anchors into `logDistance`, with a SIMD logarithm.
    public func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                      logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        let (input, anchors) = (input.as(CPUBuffer.self), anchors.as(CPUBuffer.self))
        let (logDistance, cosines) = (logDistance.as(CPUBuffer.self), cosines.as(CPUBuffer.self))
        let d = descriptor
        let (m, n, classes, perClass, anchorCount) = (d.rows, d.features, d.classes, d.anchorsPerClass, d.anchorCount)
        require(input, holds: m * n, "cosineDistanceProduct", "\(d)", role: "an input")
        require(anchors, holds: anchorCount * n, "cosineDistanceProduct", "\(d)", role: "anchors")
        require(logDistance, holds: m * classes, "cosineDistanceProduct", "\(d)", role: "a log distance")
        require(cosines, holds: m * anchorCount, "cosineDistanceProduct", "\(d)", role: "cosines")
        guard m > 0 else { return }

        let inputScales = Self.inverseRowNorms(input, rows: m, columns: n)
        let anchorScales = Self.inverseRowNorms(anchors, rows: anchorCount, columns: n)
        sgemm(transposeA: false, transposeB: true, m: m, n: anchorCount, k: n, alpha: 1, a: input.pointer, lda: n,
              b: anchors.pointer, ldb: n, beta: 0, c: cosines.pointer, ldc: anchorCount)

        let epsilon = Vector(repeating: d.epsilon)
        let vectorLogarithm = d.epsilon >= .leastNormalMagnitude
        let width = Vector.scalarCount
        Parallel.forEachChunk(of: m, grain: Swift.max(1, (1 << 12) / anchorCount)) { rows in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: anchorCount) { terms in
                let terms = terms.baseAddress!
                for row in rows {
                    let cosineRow = cosines.pointer + row * anchorCount
                    let rowScale = inputScales.pointer[row]
                    for column in stride(from: 0, to: anchorCount, by: width) {
                        let lanes = Swift.min(width, anchorCount - column)
                        let cosine = cosineRow.loadVector(at: column, lanes: lanes)
                            * (rowScale * anchorScales.pointer.loadVector(at: column, lanes: lanes))
                        cosineRow.storeVector(cosine, at: column, lanes: lanes)
                        let distance = 1 - cosine
                        let clamped = distance.replacing(with: epsilon, where: distance .< epsilon)
                        let logarithm = vectorLogarithm ? clamped.naturalLogarithm() : clamped.mapLanes { Foundation.log($0) }
                        terms.storeVector(logarithm, at: column, lanes: lanes)
                    }
                    for classIndex in 0..<classes {
                        var total: Float = 0
                        for term in 0..<perClass { total += terms[classIndex * perClass + term] }
                        logDistance.pointer[row * classes + classIndex] = total
                    }
                }
            }
        }
    }

    /// `1 / max(|row|, ν)` for each row of a `rows × columns` matrix, rows on all threads.
    private static func inverseRowNorms(_ matrix: CPUBuffer, rows: Int, columns: Int) -> CPUBuffer {
        let scales = CPUBuffer(count: rows)
        Parallel.forEachChunk(of: rows, grain: Swift.max(1, (1 << 15) / columns)) { range in
            for row in range {
                let norm = RowKernels.sumOfSquares(UnsafePointer(matrix.pointer + row * columns), count: columns).squareRoot()
                scales.pointer[row] = Float(1 / Swift.max(norm, Double(CosineDistanceProduct.normFloor)))
            }
        }
        return scales
    }
}
