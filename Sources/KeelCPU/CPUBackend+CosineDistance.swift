import Foundation
import KeelCore

extension CPUBackend {
    /// The anchor classifier's log cosine-distance product, fused into one parallel pass.
    ///
    /// One fork-join for the whole product, as for a plain GEMM. Each thread takes a stripe of
    /// input rows, computes the inverse norms `1/max(|a|, ν)` of the anchors, then the stripe's
    /// dot products with every anchor with the packed SGEMM (`X·Aᵀ` into `cosines`). As each
    /// micro-panel of rows is finished, while those rows are still in cache, it computes their
    /// inverse norms and the epilogue: each dot product scaled by both inverse norms into a
    /// cosine, and `log(max(1 − c, ε))` (a SIMD logarithm) summed over each class's `P` anchors
    /// into `logDistance`.
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp (formulas in `CosineDistanceProduct`).
    ///   - input: A CPU buffer holding the `m×n` inputs.
    ///   - anchors: A CPU buffer holding the `(K·P)×n` anchors.
    ///   - logDistance: A CPU buffer for the `m×K` result, overwritten.
    ///   - cosines: A CPU buffer for the `m×(K·P)` cosines, overwritten.
    public func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                      logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        let (input, anchors) = (input.as(CPUBuffer.self), anchors.as(CPUBuffer.self))
        let (logDistance, cosines) = (logDistance.as(CPUBuffer.self), cosines.as(CPUBuffer.self))
        let d = descriptor
        let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
        require(input, holds: m * n, "cosineDistanceProduct", "\(d)", role: "an input")
        require(anchors, holds: anchorCount * n, "cosineDistanceProduct", "\(d)", role: "anchors")
        require(logDistance, holds: m * d.classes, "cosineDistanceProduct", "\(d)", role: "a log distance")
        require(cosines, holds: m * anchorCount, "cosineDistanceProduct", "\(d)", role: "cosines")
        guard m > 0 else { return }

        let problem = SGEMMProblem(transposeA: false, transposeB: true, k: n, alpha: 1, a: input.pointer, lda: n,
                                   b: anchors.pointer, ldb: n, beta: 0, c: cosines.pointer, ldc: anchorCount)
        let rowTiles = (m + sgemmMR - 1) / sgemmMR
        let parts = m * n * anchorCount < sgemmParallelThreshold ? 1 : Swift.min(Parallel.threadCount, rowTiles)
        parallelFor(parts) { part in
            let rows = part * rowTiles / parts * sgemmMR ..< Swift.min(m, (part + 1) * rowTiles / parts * sgemmMR)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: anchorCount) { anchorScales in
                for anchor in 0..<anchorCount {
                    anchorScales[anchor] = Self.inverseNorm(UnsafePointer(anchors.pointer + anchor * n), count: n)
                }
                sgemmBlock(problem, rows: rows, cols: 0..<anchorCount) { rows in
                    Self.cosineEpilogue(d, rows: rows, input: input, anchorScales: UnsafePointer(anchorScales.baseAddress!),
                                        cosines: cosines, logDistance: logDistance)
                }
            }
        }
    }

    /// Turns the dot products of `rows` with the anchors into cosines and sums each class's log
    /// distances. `anchorScales` holds the anchors' inverse norms.
    ///
    /// When the descriptor's `multipliesDistancePairs` holds (`P` even, `ε²` normal), each pair of a
    /// class's distances is multiplied before the logarithm, which halves the logarithms, the
    /// epilogue's main cost.
    private static func cosineEpilogue(_ d: CosineDistanceProduct, rows: Range<Int>, input: CPUBuffer, anchorScales: UnsafePointer<Float>,
                                       cosines: CPUBuffer, logDistance: CPUBuffer) {
        let (n, columnCount) = (d.features, d.anchorCount)
        let epsilon = Vector(repeating: d.epsilon)
        let vectorLogarithm = d.epsilon >= .leastNormalMagnitude
        let pairs = d.multipliesDistancePairs
        let (termsPerClass, width) = (pairs ? d.anchorsPerClass / 2 : d.anchorsPerClass, Vector.scalarCount)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: columnCount) { terms in
            let terms = terms.baseAddress!
            for row in rows {
                let cosineRow = cosines.pointer + row * columnCount
                let rowScale = inverseNorm(UnsafePointer(input.pointer + row * n), count: n)
                /// Scales the dot products at `column` into cosines, stores them, and returns
                /// `max(1 − c, ε)`; lanes past the last column hold 1.
                @inline(__always) func distances(at column: Int) -> Vector {
                    let lanes = Swift.min(width, columnCount - column)
                    guard lanes > 0 else { return Vector(repeating: 1) }
                    let cosine = cosineRow.loadVector(at: column, lanes: lanes) * (rowScale * anchorScales.loadVector(at: column, lanes: lanes))
                    cosineRow.storeVector(cosine, at: column, lanes: lanes)
                    let distance = 1 - cosine
                    return distance.replacing(with: epsilon, where: distance .< epsilon)
                }
                for column in stride(from: 0, to: columnCount, by: 2 * width) {
                    let (first, second) = (distances(at: column), distances(at: column + width))
                    if pairs {
                        let products = Vector(lowHalf: first.evenHalf * first.oddHalf, highHalf: second.evenHalf * second.oddHalf)
                        terms.storeVector(logarithm(products, vector: vectorLogarithm), at: column / 2, lanes: Swift.min(width, (columnCount - column) / 2))
                    } else {
                        terms.storeVector(logarithm(first, vector: vectorLogarithm), at: column, lanes: Swift.min(width, columnCount - column))
                        let rest = columnCount - column - width
                        if rest > 0 { terms.storeVector(logarithm(second, vector: vectorLogarithm), at: column + width, lanes: Swift.min(width, rest)) }
                    }
                }
                var classTerms = UnsafePointer(terms)
                let distances = logDistance.pointer + row * d.classes
                for classIndex in 0..<d.classes {
                    var total: Float = 0
                    for term in 0..<termsPerClass { total += classTerms[term] }
                    distances[classIndex] = total
                    classTerms += termsPerClass
                }
            }
        }
    }

    /// The natural logarithm of each lane: vectorised for normal lanes, else through Foundation
    /// (the clamp `ε` may be subnormal).
    @inline(__always)
    private static func logarithm(_ x: Vector, vector: Bool) -> Vector {
        vector ? x.naturalLogarithm() : x.mapLanes { Foundation.log($0) }
    }

    /// `1 / max(|row|, ν)`.
    static func inverseNorm(_ row: UnsafePointer<Float>, count: Int) -> Float {
        Float(1 / Swift.max(RowKernels.sumOfSquares(row, count: count).squareRoot(), Double(CosineDistanceProduct.normFloor)))
    }
}
