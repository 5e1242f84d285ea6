import Foundation
import KeelCore

extension CPUBackend {
    /// The anchor classifier's log cosine-distance product, fused into one parallel pass.
    ///
    /// The anchors' inverse norms `1/max(|a|, ν)` come first (a small pass on the calling thread).
    /// Then each thread takes a stripe of input rows and computes their dot products with every
    /// anchor with the packed SGEMM (`X·Aᵀ` into `cosines`); for few rows, a run of whole classes
    /// instead, so that each thread packs only its own anchors. As each micro-panel of rows is
    /// finished, while those rows are still in cache, it computes their inverse norms and the epilogue: each dot product scaled by both inverse norms into a
    /// cosine, and `log(max(1 − c, ε))` (a SIMD logarithm) summed over each class's `P` anchors
    /// into `logDistance`. One fork-join for the whole product, as for a plain GEMM.
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
        let parts = m * n * anchorCount < sgemmParallelThreshold ? 1 : Swift.min(Parallel.threadCount, Swift.max(rowTiles, d.classes))
        let anchorScales = try CPUBuffer(count: anchorCount)
        if rowTiles < Self.rowTilesPerPartForRowSplit * parts && d.classes >= parts {
            // Few rows: each part takes whole classes (so its epilogue needs only its own columns)
            // and packs only their anchors, instead of every part packing all of them. Every part
            // needs every row's norm, so all norms come first, in one parallel pass.
            let inputScales = try CPUBuffer(count: m)
            Self.inverseNorms(of: [(input, inputScales), (anchors, anchorScales)], features: n)
            parallelFor(parts) { part in
                let classes = part * d.classes / parts ..< (part + 1) * d.classes / parts
                let columns = classes.lowerBound * d.anchorsPerClass ..< classes.upperBound * d.anchorsPerClass
                sgemmBlock(problem, rows: 0..<m, cols: columns) { rows in
                    Self.cosineEpilogue(d, rows: rows, classes: classes, inputScales: .computed(inputScales), anchorScales: anchorScales,
                                        cosines: cosines, logDistance: logDistance)
                }
            }
            return
        }
        // Many rows: the anchors' norms first; each row's norm in the epilogue, while it is in cache.
        Self.inverseNorms(of: [(anchors, anchorScales)], features: n)
        parallelFor(parts) { part in
            let stripe = part * rowTiles / parts * sgemmMR ..< Swift.min(m, (part + 1) * rowTiles / parts * sgemmMR)
            sgemmBlock(problem, rows: stripe, cols: 0..<anchorCount) { rows in
                Self.cosineEpilogue(d, rows: rows, classes: 0..<d.classes, inputScales: .fromRows(input), anchorScales: anchorScales,
                                    cosines: cosines, logDistance: logDistance)
            }
        }
    }

    /// Below this many micro-panels of rows per part, parts split the classes rather than the rows.
    private static let rowTilesPerPartForRowSplit = 32

    /// Turns the dot products of `rows` with the anchors of `classes` into cosines and sums each
    /// of those classes' log distances.
    private static func cosineEpilogue(_ d: CosineDistanceProduct, rows: Range<Int>, classes: Range<Int>, inputScales: InputScales,
                                       anchorScales: CPUBuffer, cosines: CPUBuffer, logDistance: CPUBuffer) {
        let (n, perClass, anchorCount) = (d.features, d.anchorsPerClass, d.anchorCount)
        let columns = classes.lowerBound * perClass ..< classes.upperBound * perClass
        let epsilon = Vector(repeating: d.epsilon)
        let vectorLogarithm = d.epsilon >= .leastNormalMagnitude
        let width = Vector.scalarCount
        withUnsafeTemporaryAllocation(of: Float.self, capacity: anchorCount) { terms in
            let terms = terms.baseAddress!
            for row in rows {
                let cosineRow = cosines.pointer + row * anchorCount
                let rowScale = switch inputScales {
                case let .computed(scales): scales.pointer[row]
                case let .fromRows(input): inverseNorm(UnsafePointer(input.pointer + row * n), count: n)
                }
                for column in stride(from: columns.lowerBound, to: columns.upperBound, by: width) {
                    let lanes = Swift.min(width, columns.upperBound - column)
                    let cosine = cosineRow.loadVector(at: column, lanes: lanes)
                        * (rowScale * anchorScales.pointer.loadVector(at: column, lanes: lanes))
                    cosineRow.storeVector(cosine, at: column, lanes: lanes)
                    let distance = 1 - cosine
                    let clamped = distance.replacing(with: epsilon, where: distance .< epsilon)
                    let logarithm = vectorLogarithm ? clamped.naturalLogarithm() : clamped.mapLanes { Foundation.log($0) }
                    terms.storeVector(logarithm, at: column, lanes: lanes)
                }
                for classIndex in classes {
                    var total: Float = 0
                    for term in 0..<perClass { total += terms[classIndex * perClass + term] }
                    logDistance.pointer[row * d.classes + classIndex] = total
                }
            }
        }
    }

    /// Where the epilogue gets each input row's inverse norm.
    private enum InputScales {
        /// Already computed, one per row.
        case computed(CPUBuffer)
        /// From the row itself, in the epilogue.
        case fromRows(CPUBuffer)
    }

    /// Fills each `scales` buffer with the inverse norms of its matrix's rows (`features` wide),
    /// every row of every matrix spread over the threads.
    private static func inverseNorms(of matrices: [(rows: CPUBuffer, scales: CPUBuffer)], features n: Int) {
        let counts = matrices.map(\.scales.count)
        let total = counts.reduce(0, +)
        Parallel.forEachChunk(of: total, grain: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { range in
            for index in range {
                var (matrix, row) = (0, index)
                while row >= counts[matrix] {
                    row -= counts[matrix]
                    matrix += 1
                }
                let (rows, scales) = matrices[matrix]
                scales.pointer[row] = inverseNorm(UnsafePointer(rows.pointer + row * n), count: n)
            }
        }
    }

    /// `1 / max(|row|, ν)`.
    private static func inverseNorm(_ row: UnsafePointer<Float>, count: Int) -> Float {
        Float(1 / Swift.max(RowKernels.sumOfSquares(row, count: count).squareRoot(), Double(CosineDistanceProduct.normFloor)))
    }
}
