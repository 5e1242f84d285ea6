import Foundation
import KeelCore

/// The pure-Swift CPU backend: SIMD kernels over host memory, multithreaded over the cores.
///
/// Every operation runs synchronously on the calling thread and, when the work is large enough,
/// fans out to the workers of a shared fork-join pool: as many threads in all as active
/// processors, or `KEEL_NUM_THREADS` when set to a positive integer (read once per process).
/// ``synchronize()`` therefore has nothing to wait for. Operations may be called from several
/// threads at once; while the pool is busy, another call runs on its own thread alone. Select it
/// with the spec `cpu`.
///
/// Matrix products run through a cache-blocked, packed SGEMM with a 6×16 register-tiled
/// micro-kernel; convolutions lower to it through im2col, or use direct loops when the shape is
/// too small for the lowering to pay off; the anchor classifier's cosine-distance product and the
/// optimiser steps are fused into single passes. No C, no BLAS. Build with
/// `-Xswiftc -target-cpu -Xswiftc native` (or `haswell`) on x86-64, or the kernels lose their
/// FMA and AVX2 instructions.
///
/// Buffers are 64-byte-aligned host memory, recycled by size through a process-wide pool (at
/// most 256 MiB kept idle), so the temporaries of a training step do not hit the allocator
/// every step. Buffer sizes and views are checked with preconditions; nothing but allocation
/// throws: a request the system cannot meet throws `KeelError.outOfMemory`, it never stops the
/// process.
///
/// ```swift
/// import KeelCore
/// import KeelCPU
///
/// Backends.register(CPUBackend.registration)      // or Backends.registerBuiltIn() from Keel
/// let cpu = try Backends.select("cpu")            // CPUBackend.shared
/// let a = try Tensor.random([512, 256], .uniform(low: -1, high: 1), seed: 0, on: cpu)
/// let b = try Tensor.random([256, 128], .uniform(low: -1, high: 1), seed: 1, on: cpu)
/// let product = try a.matmul(b)                   // 512×128, on every core
/// print(cpu.deviceDescription)
/// ```
public final class CPUBackend: Backend {
    /// The spec string that selects this backend: `cpu`.
    public let name = "cpu"

    /// The CPU model (where the system reports it), the thread count and the kernel family.
    public let deviceDescription: String

    /// The instance `Backends.select("cpu")` returns; use it rather than creating more, since
    /// tensors combine only with tensors of the same backend instance.
    public static let shared = CPUBackend()

    /// Makes `cpu` selectable: priority 10, ahead of the reference backend; takes no argument.
    ///
    /// Pass it to `Backends.register(_:)`; the spec `cpu:anything` throws
    /// `KeelError.invalidBackendSpec(spec:reason:)`.
    public static let registration = BackendRegistration(
        name: "cpu", summary: "pure-Swift SIMD kernels on the host CPU, multithreaded", priority: 10
    ) { argument in
        if let argument {
            throw KeelError.invalidBackendSpec(spec: "cpu:\(argument)", reason: "the CPU backend takes no device argument; write 'cpu'")
        }
        return shared
    }

    /// Creates a CPU backend; every instance shares the process-wide thread count and worker pool.
    ///
    /// Prefer ``shared``: tensors of two instances cannot be combined.
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

    /// Allocates a 64-byte-aligned buffer of `count` uninitialised elements, reusing a pooled
    /// block of the same size when there is one.
    /// - Parameter count: The number of elements, `≥ 0`.
    /// - Throws: `KeelError.outOfMemory(backend:requestedBytes:detail:)` when the size overflows
    ///   the address space or the system cannot provide the memory (the allocation failed, for
    ///   example over `ulimit -v`); nothing is allocated then.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        precondition(count >= 0, "CPUBackend.makeBuffer: negative element count \(count)")
        return try CPUBuffer(count: count)
    }

    /// Copies `values` into the start of `buffer` (a `memcpy`).
    /// - Parameters:
    ///   - values: The elements to copy.
    ///   - buffer: A CPU buffer holding at least `values.count` elements.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let buffer = buffer.as(CPUBuffer.self)
        precondition(values.count <= buffer.count, "CPUBackend.upload: \(values.count) values do not fit a buffer of \(buffer.count)")
        guard let source = values.baseAddress, values.count > 0 else { return }
        buffer.pointer.update(from: source, count: values.count)
    }

    /// Copies the first `values.count` elements of `buffer` into `values` (a `memcpy`; nothing is pending).
    /// - Parameters:
    ///   - buffer: A CPU buffer holding at least `values.count` elements.
    ///   - values: The destination.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        let buffer = buffer.as(CPUBuffer.self)
        precondition(values.count <= buffer.count, "CPUBackend.download: \(values.count) values requested from a buffer of \(buffer.count)")
        guard let destination = values.baseAddress, values.count > 0 else { return }
        destination.update(from: buffer.pointer, count: values.count)
    }

    /// Returns at once: every operation has finished by the time it returns.
    public func synchronize() throws {}

    /// Sets the first `count` elements of `buffer` to `value`, in chunks of at least 2¹⁶ elements per thread.
    /// - Parameters:
    ///   - buffer: A CPU buffer holding at least `count` elements.
    ///   - value: The value every element gets.
    ///   - count: How many leading elements to set.
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
