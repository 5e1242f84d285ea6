import Foundation
import KeelCore

extension CPUBackend {
    /// Softmax (or log-softmax) over the middle extent of `outer × length × inner`, fused.
    ///
    /// Each line takes three passes: the maximum; `e^(x−max)` summed in Double (written out for
    /// softmax); then the write, `e/Σ` or `x − max − ln Σ`. Every element is read before the
    /// same element is written, so `output` may be `input`.
    /// - Parameters:
    ///   - input: A CPU buffer holding at least `extents.inputCount` elements.
    ///   - output: A CPU buffer holding at least `extents.inputCount` elements; may be `input`.
    ///   - extents: The view of `input`; the softmax runs along `length`.
    ///   - logarithmic: Whether to produce log-softmax.
    public func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws {
        let input = input.as(CPUBuffer.self)
        let output = output.as(CPUBuffer.self)
        let operation = logarithmic ? "logSoftmax" : "softmax"
        require(input, holds: extents.inputCount, operation, "\(extents)", role: "an input")
        require(output, holds: extents.inputCount, operation, "\(extents)", role: "an output")
        guard extents.inputCount > 0 else { return }
        if extents.inner == 1 {
            softmaxRows(input, output, rows: extents.outer, length: extents.length, logarithmic: logarithmic)
        } else {
            softmaxColumns(input, output, extents, logarithmic: logarithmic)
        }
    }

    /// Softmax along each contiguous row of a `rows × length` matrix.
    private func softmaxRows(_ input: CPUBuffer, _ output: CPUBuffer, rows: Int, length: Int, logarithmic: Bool) {
        let width = Vector.scalarCount
        Parallel.forEachChunk(of: rows, grain: Swift.max(1, (1 << 13) / length)) { range in
            for row in range {
                let source = UnsafePointer(input.pointer + row * length)
                let destination = output.pointer + row * length
                let largest = RowKernels.maximum(source, count: length).value
                var total: Double = 0
                for index in 0..<length {
                    let exponential = exp(source[index] - largest)
                    total += Double(exponential)
                    if !logarithmic { destination[index] = exponential }
                }
                if logarithmic {
                    let (shift, logTotal) = (Vector(repeating: largest), Vector(repeating: Float(log(total))))
                    for index in stride(from: 0, to: length, by: width) {
                        let lanes = Swift.min(width, length - index)
                        destination.storeVector((source.loadVector(at: index, lanes: lanes) - shift) - logTotal, at: index, lanes: lanes)
                    }
                } else {
                    let divisor = Vector(repeating: Float(total))
                    for index in stride(from: 0, to: length, by: width) {
                        let lanes = Swift.min(width, length - index)
                        destination.storeVector(destination.loadVector(at: index, lanes: lanes) / divisor, at: index, lanes: lanes)
                    }
                }
            }
        }
    }

    /// Softmax along the middle extent for `inner > 1`, a span of neighbouring lines at a time.
    private func softmaxColumns(_ input: CPUBuffer, _ output: CPUBuffer, _ extents: ReductionExtents, logarithmic: Bool) {
        let (length, inner) = (extents.length, extents.inner)
        let span = 512
        let spansPerOuter = (inner + span - 1) / span
        Parallel.forEachChunk(of: extents.outer * spansPerOuter, grain: Swift.max(1, (1 << 13) / (length * Swift.min(inner, span)))) { range in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: span) { maxima in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: span) { totals in
                    let (maxima, totals) = (maxima.baseAddress!, totals.baseAddress!)
                    for task in range {
                        let outer = task / spansPerOuter
                        let lower = (task % spansPerOuter) * span
                        let columns = Swift.min(span, inner - lower)
                        let source = UnsafePointer(input.pointer + outer * length * inner + lower)
                        let destination = output.pointer + outer * length * inner + lower
                        maxima.update(repeating: -.infinity, count: columns)
                        for step in 0..<length {
                            for column in 0..<columns where source[step * inner + column] > maxima[column] {
                                maxima[column] = source[step * inner + column]
                            }
                        }
                        totals.update(repeating: 0, count: columns)
                        for step in 0..<length {
                            for column in 0..<columns {
                                let exponential = exp(source[step * inner + column] - maxima[column])
                                totals[column] += Double(exponential)
                                if !logarithmic { destination[step * inner + column] = exponential }
                            }
                        }
                        if logarithmic {
                            for column in 0..<columns { totals[column] = log(totals[column]) }
                        }
                        for step in 0..<length {
                            for column in 0..<columns {
                                let element = step * inner + column
                                destination[element] = logarithmic ? (source[element] - maxima[column]) - Float(totals[column])
                                    : destination[element] / Float(totals[column])
                            }
                        }
                    }
                }
            }
        }
    }
}
