import Foundation
import KeelCore

/// Every requirement of ``KeelCore/Backend`` that moves data or computes: what a
/// ``TracingBackend`` counts.
public enum TracedOperation: String, CaseIterable, Comparable, Sendable {
    case makeBuffer, upload, download, synchronize, fill, copy
    case gemm
    case conv2d, conv2dBackwardData, conv2dBackwardFilter, pool2d, pool2dBackward
    case unary, binary, reduce, softmax
    case cosineDistanceProduct, cosineDistanceProductBackward, optimizerUpdate, randomFill

    /// Orders operations as the `Backend` protocol declares them.
    public static func < (lhs: TracedOperation, rhs: TracedOperation) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One row of ``OperationCounts``: an operation and its variant (`exp` for a unary operation,
/// `max` for a reduction or pooling, `NT` for a GEMM with `B` transposed; empty when it has none).
public struct OperationKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The backend requirement that was called.
    public var operation: TracedOperation
    /// Which form of it (see the type's summary); empty when the operation has only one.
    public var variant: String

    /// A key for `operation` in its form `variant`.
    public init(_ operation: TracedOperation, _ variant: String = "") {
        self.operation = operation
        self.variant = variant
    }

    /// Protocol order, then the variant alphabetically.
    public static func < (lhs: OperationKey, rhs: OperationKey) -> Bool {
        (lhs.operation, lhs.variant) < (rhs.operation, rhs.variant)
    }

    /// `operation` or `operation(variant)`.
    public var description: String { variant.isEmpty ? operation.rawValue : "\(operation.rawValue)(\(variant))" }
}

/// What one key accumulated: calls, elements and floating-point operations.
public struct Tally: Hashable, Sendable {
    /// How many times the operation was called.
    public var calls: Int
    /// Elements written (or transferred, for `upload` and `download`; allocated, for `makeBuffer`).
    public var elements: Int
    /// Floating-point operations where the descriptor defines them (GEMM, the convolution passes,
    /// the cosine-distance product); 0 elsewhere.
    public var flops: Double

    /// A tally with the given totals (all zero by default).
    public init(calls: Int = 0, elements: Int = 0, flops: Double = 0) {
        self.calls = calls
        self.elements = elements
        self.flops = flops
    }

    /// The sum of two tallies.
    public static func + (lhs: Tally, rhs: Tally) -> Tally {
        Tally(calls: lhs.calls + rhs.calls, elements: lhs.elements + rhs.elements, flops: lhs.flops + rhs.flops)
    }

    /// The difference of two tallies (what happened between two snapshots).
    public static func - (lhs: Tally, rhs: Tally) -> Tally {
        Tally(calls: lhs.calls - rhs.calls, elements: lhs.elements - rhs.elements, flops: lhs.flops - rhs.flops)
    }
}

/// An immutable snapshot of a ``TracingBackend``'s counters.
///
/// Take one with ``TracingBackend/counts``; subtract an earlier snapshot to see what happened in between.
public struct OperationCounts: Hashable, Sendable, CustomStringConvertible {
    /// Every key that was called at least once, with its totals.
    public let entries: [OperationKey: Tally]

    /// A snapshot holding `entries`.
    public init(_ entries: [OperationKey: Tally] = [:]) {
        self.entries = entries.filter { $0.value != Tally() }
    }

    /// The totals of `operation` over all its variants.
    public subscript(operation: TracedOperation) -> Tally {
        entries.reduce(into: Tally()) { total, entry in
            if entry.key.operation == operation { total = total + entry.value }
        }
    }

    /// The totals of `operation` in the form `variant`.
    public subscript(operation: TracedOperation, variant: String) -> Tally {
        entries[OperationKey(operation, variant)] ?? Tally()
    }

    /// Calls of every operation together.
    public var totalCalls: Int { entries.values.reduce(0) { $0 + $1.calls } }

    /// Floating-point operations of every operation together.
    public var totalFlops: Double { entries.values.reduce(0) { $0 + $1.flops } }

    /// What happened after `earlier` was taken (keys whose totals did not change are dropped).
    public func subtracting(_ earlier: OperationCounts) -> OperationCounts {
        var difference = entries
        for (key, tally) in earlier.entries { difference[key, default: Tally()] = difference[key, default: Tally()] - tally }
        return OperationCounts(difference)
    }

    /// A table with one row per key in protocol order, then a total.
    public var table: String {
        let rows = entries.sorted { $0.key < $1.key }.map { key, tally in
            [key.description, "\(tally.calls)", "\(tally.elements)", tally.flops > 0 ? Self.format(tally.flops) : "–"]
        }
        let total = ["total", "\(totalCalls)", "\(entries.values.reduce(0) { $0 + $1.elements })", Self.format(totalFlops)]
        let header = ["operation", "calls", "elements", "flops"]
        let widths = (0..<4).map { column in ([header, total] + rows).map { $0[column].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([line(header), rule] + rows.map(line) + [rule, line(total)]).joined(separator: "\n")
    }

    /// The ``table``.
    public var description: String { table }

    /// `1.23e9`-style for large counts, plain for small ones.
    private static func format(_ value: Double) -> String {
        value < 1e6 ? String(format: "%.0f", value) : String(format: "%.3g", value)
    }
}
