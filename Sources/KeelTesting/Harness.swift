import Foundation
import KeelCore

/// Which of the two backends a harness drives.
public enum Side: Sendable, CaseIterable {
    /// The backend under test.
    case test
    /// The reference backend, whose results are the expected values.
    case reference
}

/// One logical buffer uploaded with identical bytes to the backend under test and to the reference.
///
/// Made by ``Harness/input(_:)`` and ``Harness/output(count:prefill:)``; inside
/// ``Harness/run(_:)`` pick the buffer of the side being run with `twin[side]`.
public struct Twin {
    /// The buffer on the backend under test.
    public let test: any DeviceBuffer
    /// The buffer on the reference backend.
    public let reference: any DeviceBuffer
    /// The elements meant for the operation; both buffers hold ``Harness/guardCount`` more.
    public let count: Int

    /// The buffer of one side.
    ///
    /// - Parameter side: ``Side/test`` or ``Side/reference``.
    public subscript(side: Side) -> any DeviceBuffer { side == .test ? test : reference }
}

/// Drives one backend and the reference backend through the same calls on the same bytes.
///
/// Every buffer it allocates gets ``guardCount`` trailing elements holding ``sentinel``; a
/// ``Comparison`` checks that they are untouched. Outputs are pre-filled with NaN, so an
/// operation that reads its output before writing it (or leaves elements unwritten) shows.
///
/// A ``ConformanceCase`` gets a fresh harness for each run; a case body uploads its inputs
/// with ``input(_:)``, allocates outputs with ``output(count:prefill:)``, runs the operation on
/// both sides with ``run(_:)`` and returns ``compare(_:_:_:shape:tolerance:)`` for each output.
public final class Harness {
    /// The number of guard elements after every buffer the harness allocates.
    public static let guardCount = 3
    /// The value of every guard element; a backend that writes past an output's end changes it.
    public static let sentinel: Float = -7777.25

    /// The backend under test.
    public let backend: any Backend
    /// The reference backend (`ReferenceBackend`, selected as `"reference"`).
    public let reference: any Backend
    /// Host data seeded from the case name.
    public var data: HostData

    /// A harness comparing `backend` with the reference backend.
    ///
    /// - Parameters:
    ///   - backend: the backend under test.
    ///   - seed: seeds ``data``; ``ConformanceCase`` passes ``stableSeed(_:)`` of its name.
    /// - Throws: what `Backends.select("reference")` throws (the reference is always registered,
    ///   so in practice nothing).
    public init(_ backend: any Backend, seed: UInt64) throws {
        self.backend = backend
        self.reference = try Backends.select("reference")
        data = HostData(seed: seed)
    }

    /// ``backend`` or ``reference``.
    ///
    /// - Parameter side: which of the two.
    public func backend(for side: Side) -> any Backend { side == .test ? backend : reference }

    /// Uploads `values` (plus the guard) to both backends.
    ///
    /// - Parameter values: the elements; the same bits go to both sides.
    /// - Returns: the two buffers, each `values.count + guardCount` long.
    /// - Throws: what either backend's `makeBuffer` or `upload` throws.
    public func input(_ values: [Float]) throws -> Twin {
        let padded = values + [Float](repeating: Self.sentinel, count: Self.guardCount)
        return Twin(test: try Self.upload(padded, to: backend), reference: try Self.upload(padded, to: reference), count: values.count)
    }

    /// An output of `count` elements on both backends, pre-filled with `prefill` (NaN by default).
    ///
    /// - Parameters:
    ///   - count: the elements the operation writes.
    ///   - prefill: the initial value of those elements; NaN shows elements left unwritten
    ///     or read before written. Use 0 for accumulating state (optimizer moments).
    /// - Throws: what either backend's `makeBuffer` or `upload` throws.
    public func output(count: Int, prefill: Float = .nan) throws -> Twin {
        try input([Float](repeating: prefill, count: count))
    }

    /// Runs `body` on the reference, then on the backend under test.
    ///
    /// ```swift
    /// try h.run { backend, side in try backend.unary(.exp, input: x[side], output: y[side], count: n) }
    /// ```
    ///
    /// - Parameter body: the operation, called with each backend and the side it is, which
    ///   selects the matching buffer of each ``Twin``.
    /// - Throws: the first error `body` throws.
    public func run(_ body: (any Backend, Side) throws -> Void) throws {
        try body(reference, .reference)
        try body(backend, .test)
    }

    /// Downloads `twin` (with its guard) from both backends and compares them.
    ///
    /// - Parameters:
    ///   - operation: the operation's name in the report, for example `gemm`.
    ///   - descriptor: the configuration in the report (sizes, options).
    ///   - twin: the output to compare.
    ///   - shape: the output's shape, to report the worst element by coordinates; nil for a
    ///     flat index only.
    ///   - tolerance: how far the backend may be from the reference.
    /// - Returns: the comparison of `twin.count` elements and of the guard.
    /// - Throws: what either backend's `download` throws (including a failure of pending work).
    public func compare(_ operation: String, _ descriptor: String, _ twin: Twin, shape: Shape? = nil,
                        tolerance: Tolerance) throws -> Comparison {
        let total = twin.count + Self.guardCount
        let got = try Self.download(twin.test, from: backend, count: total)
        let expected = try Self.download(twin.reference, from: reference, count: total)
        return Comparison(operation: operation, descriptor: descriptor, got: got, expected: expected,
                          count: twin.count, shape: shape, tolerance: tolerance)
    }

    /// The downloaded contents of one side of `twin`, guard excluded.
    ///
    /// - Parameters:
    ///   - twin: the buffers.
    ///   - side: which side to read.
    /// - Throws: what that backend's `download` throws.
    public func values(_ twin: Twin, side: Side) throws -> [Float] {
        try Self.download(twin[side], from: backend(for: side), count: twin.count)
    }

    /// Runs `body` on the reference alone with fresh buffers holding `inputs` and an output
    /// initialised to `output`, and returns the output: used to compute error magnitudes from
    /// `|inputs|`.
    ///
    /// ```swift
    /// let magnitudes = try h.onReference([a.magnitudes, b.magnitudes], output: [Float](repeating: 0, count: m * n)) {
    ///     try $0.gemm(d, a: $1[0], b: $1[1], c: $2)
    /// }
    /// let tolerance = Tolerance.accumulation(length: d.k, magnitudes: magnitudes)
    /// ```
    ///
    /// - Parameters:
    ///   - inputs: the contents of each input buffer (an empty array gets a one-element buffer).
    ///   - output: the initial contents of the output buffer.
    ///   - body: runs the operation, given the reference backend, the input buffers in order
    ///     and the output buffer.
    /// - Returns: the output's `output.count` elements after `body`.
    /// - Throws: what `body` or the reference backend throws.
    public func onReference(_ inputs: [[Float]], output: [Float],
                            _ body: (any Backend, [any DeviceBuffer], any DeviceBuffer) throws -> Void) throws -> [Float] {
        let buffers = try inputs.map { try Self.upload($0.isEmpty ? [0] : $0, to: reference) }
        let out = try Self.upload(output.isEmpty ? [0] : output, to: reference)
        try body(reference, buffers, out)
        return try Self.download(out, from: reference, count: output.count)
    }

    /// A new buffer on `backend` holding `values`, without a guard.
    ///
    /// - Parameters:
    ///   - values: the elements.
    ///   - backend: where to allocate the buffer.
    /// - Throws: what the backend's `makeBuffer` or `upload` throws.
    public static func upload(_ values: [Float], to backend: any Backend) throws -> any DeviceBuffer {
        let buffer = try backend.makeBuffer(count: values.count)
        try values.withUnsafeBufferPointer { try backend.upload($0, to: buffer) }
        return buffer
    }

    /// The first `count` elements of `buffer`.
    ///
    /// - Parameters:
    ///   - buffer: a buffer of `backend`, at least `count` elements long.
    ///   - backend: the buffer's backend.
    ///   - count: the number of elements to read.
    /// - Throws: what the backend's `download` throws.
    public static func download(_ buffer: any DeviceBuffer, from backend: any Backend, count: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { try backend.download(buffer, into: $0) }
        return values
    }
}

extension Array where Element == Float {
    /// Element-wise absolute values: the inputs of ``Harness/onReference(_:output:_:)`` when it
    /// computes the magnitudes an ``Tolerance/accumulation(length:magnitudes:constant:)`` bound needs.
    var magnitudes: [Float] { map(\.magnitude) }
}
