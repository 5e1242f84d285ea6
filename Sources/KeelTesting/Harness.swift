import Foundation
import KeelCore

/// Which of the two backends a harness drives.
public enum Side: Sendable, CaseIterable {
    case test, reference
}

/// One logical buffer uploaded with identical bytes to the backend under test and to the reference.
public struct Twin {
    public let test: any DeviceBuffer
    public let reference: any DeviceBuffer
    /// The elements meant for the operation; both buffers hold ``Harness/guardCount`` more.
    public let count: Int

    public subscript(side: Side) -> any DeviceBuffer { side == .test ? test : reference }
}

/// Drives one backend and the reference backend through the same calls on the same bytes.
///
/// Every buffer it allocates gets ``guardCount`` trailing elements holding ``sentinel``; a
/// ``Comparison`` checks that they are untouched. Outputs are pre-filled with NaN, so an
/// operation that reads its output before writing it (or leaves elements unwritten) shows.
public final class Harness {
    public static let guardCount = 3
    public static let sentinel: Float = -7777.25

    public let backend: any Backend
    public let reference: any Backend
    /// Host data seeded from the case name.
    public var data: HostData

    public init(_ backend: any Backend, seed: UInt64) throws {
        self.backend = backend
        self.reference = try Backends.select("reference")
        data = HostData(seed: seed)
    }

    public func backend(for side: Side) -> any Backend { side == .test ? backend : reference }

    /// Uploads `values` (plus the guard) to both backends.
    public func input(_ values: [Float]) throws -> Twin {
        let padded = values + [Float](repeating: Self.sentinel, count: Self.guardCount)
        return Twin(test: try Self.upload(padded, to: backend), reference: try Self.upload(padded, to: reference), count: values.count)
    }

    /// An output of `count` elements on both backends, pre-filled with `prefill` (NaN by default).
    public func output(count: Int, prefill: Float = .nan) throws -> Twin {
        try input([Float](repeating: prefill, count: count))
    }

    /// Runs `body` on the reference, then on the backend under test.
    public func run(_ body: (any Backend, Side) throws -> Void) throws {
        try body(reference, .reference)
        try body(backend, .test)
    }

    /// Downloads `twin` (with its guard) from both backends and compares them.
    public func compare(_ operation: String, _ descriptor: String, _ twin: Twin, shape: Shape? = nil,
                        tolerance: Tolerance) throws -> Comparison {
        let total = twin.count + Self.guardCount
        let got = try Self.download(twin.test, from: backend, count: total)
        let expected = try Self.download(twin.reference, from: reference, count: total)
        return Comparison(operation: operation, descriptor: descriptor, got: got, expected: expected,
                          count: twin.count, shape: shape, tolerance: tolerance)
    }

    /// The downloaded contents of one side of `twin`, guard excluded.
    public func values(_ twin: Twin, side: Side) throws -> [Float] {
        try Self.download(twin[side], from: backend(for: side), count: twin.count)
    }

    /// Runs `body` on the reference alone with fresh buffers holding `inputs` and an output
    /// initialised to `output`, and returns the output: used to compute error magnitudes from
    /// `|inputs|`.
    public func onReference(_ inputs: [[Float]], output: [Float],
                            _ body: (any Backend, [any DeviceBuffer], any DeviceBuffer) throws -> Void) throws -> [Float] {
        let buffers = try inputs.map { try Self.upload($0.isEmpty ? [0] : $0, to: reference) }
        let out = try Self.upload(output.isEmpty ? [0] : output, to: reference)
        try body(reference, buffers, out)
        return try Self.download(out, from: reference, count: output.count)
    }

    /// A new buffer on `backend` holding `values`.
    public static func upload(_ values: [Float], to backend: any Backend) throws -> any DeviceBuffer {
        let buffer = try backend.makeBuffer(count: values.count)
        try values.withUnsafeBufferPointer { try backend.upload($0, to: buffer) }
        return buffer
    }

    /// The first `count` elements of `buffer`.
    public static func download(_ buffer: any DeviceBuffer, from backend: any Backend, count: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { try backend.download(buffer, into: $0) }
        return values
    }
}

extension Array where Element == Float {
    /// Element-wise absolute values.
    public var magnitudes: [Float] { map(\.magnitude) }
}
