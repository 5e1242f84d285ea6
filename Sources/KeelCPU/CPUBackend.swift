import Foundation
import KeelCore

/// The pure-Swift CPU backend: SIMD kernels over host memory, multithreaded over the cores.
///
/// Every operation runs synchronously on the calling thread, fanning out to
/// ``Parallel/threadCount`` threads (set `KEEL_NUM_THREADS` to override) when the work is
/// large enough, so ``synchronize()`` has nothing to wait for. Select it with the spec `cpu`.
public final class CPUBackend: Backend {
    /// The spec string that selects this backend: `cpu`.
    public let name = "cpu"

    /// The CPU model (where the system reports it), the thread count and the kernel family.
    public let deviceDescription: String

    /// The instance ``KeelCore/Backends/select(_:)`` returns for `cpu`.
    public static let shared = CPUBackend()

    /// Makes `cpu` selectable: priority 10, ahead of the reference backend; takes no argument.
    public static let registration = BackendRegistration(
        name: "cpu", summary: "pure-Swift SIMD kernels on the host CPU, multithreaded", priority: 10
    ) { argument in
        if let argument {
            throw KeelError.invalidBackendSpec(spec: "cpu:\(argument)", reason: "the CPU backend takes no device argument; write 'cpu'")
        }
        return shared
    }

    /// Creates a CPU backend; every instance shares the process-wide thread count.
    public init() {
        let threads = Parallel.threadCount
        let summary = "CPU, \(threads) thread\(threads == 1 ? "" : "s"), pure-Swift SIMD"
        deviceDescription = Self.cpuModel().map { "\($0) (\(summary))" } ?? summary
    }

    /// The `model name` line of `/proc/cpuinfo`, or `nil` where it cannot be read.
    private static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !model.isEmpty { return model }
        }
        return nil
    }

    // MARK: - Memory

    /// Allocates a 64-byte-aligned buffer of `count` uninitialised elements.
    /// - Throws: ``KeelError/outOfMemory(backend:requestedBytes:detail:)`` when the size overflows.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        precondition(count >= 0, "CPUBackend.makeBuffer: negative element count \(count)")
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        guard !overflow, bytes <= Int.max - CPUBuffer.alignment else {
            throw KeelError.outOfMemory(backend: name, requestedBytes: overflow ? Int.max : bytes, detail: "the size overflows the address space")
        }
        return CPUBuffer(count: count)
    }

    /// Copies `values` into the start of `buffer`.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let buffer = buffer.as(CPUBuffer.self)
        precondition(values.count <= buffer.count, "CPUBackend.upload: \(values.count) values do not fit a buffer of \(buffer.count)")
        guard let source = values.baseAddress, values.count > 0 else { return }
        buffer.pointer.update(from: source, count: values.count)
    }

    /// Copies the first `values.count` elements of `buffer` into `values`.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        let buffer = buffer.as(CPUBuffer.self)
        precondition(values.count <= buffer.count, "CPUBackend.download: \(values.count) values requested from a buffer of \(buffer.count)")
        guard let destination = values.baseAddress, values.count > 0 else { return }
        destination.update(from: buffer.pointer, count: values.count)
    }

    /// Returns at once: every operation has finished by the time it returns.
    public func synchronize() throws {}

    /// Sets the first `count` elements of `buffer` to `value`.
    public func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws {
        let buffer = buffer.as(CPUBuffer.self)
        require(buffer, holds: count, "fill", "count \(count)")
        Parallel.forEachChunk(of: count, grain: 1 << 16) { range in
            (buffer.pointer + range.lowerBound).update(repeating: value, count: range.count)
        }
    }

    /// Traps unless `buffer` holds at least `needed` elements, naming the operation and its sizes.
    func require(_ buffer: CPUBuffer, holds needed: Int, _ operation: @autoclosure () -> String, _ detail: @autoclosure () -> String,
                 role: String = "buffer") {
        precondition(needed <= buffer.count,
                     "CPUBackend.\(operation()): \(detail()) needs \(role) of \(needed) elements, got \(buffer.count)")
    }
}
