import COpenCL
import KeelCore
import Synchronization

/// The OpenCL calls whose failure tests can inject, each named as in the OpenCL API.
package enum OpenCLCall: String, Sendable, CaseIterable {
    /// Counting the platforms, in device discovery.
    case getPlatformIDs = "clGetPlatformIDs"
    /// Allocating a buffer (not taking one from the pool).
    case createBuffer = "clCreateBuffer"
    /// Building a program, from source or from a cached binary.
    case buildProgram = "clBuildProgram"
    /// Enqueueing a kernel.
    case enqueueNDRangeKernel = "clEnqueueNDRangeKernel"
    /// Waiting for the queue (``OpenCLBackend/synchronize()``).
    case finish = "clFinish"
    /// Reading a buffer back to the host (``OpenCLBackend/download(_:into:)``).
    case enqueueReadBuffer = "clEnqueueReadBuffer"
}

/// One injected failure: `call` is not made and reports `status` instead.
///
/// `CL_SUCCESS` for ``OpenCLCall/getPlatformIDs`` reports zero platforms.
package struct OpenCLFault: Sendable {
    /// The call that fails.
    package var call: OpenCLCall
    /// The status it reports, for example `CL_MEM_OBJECT_ALLOCATION_FAILURE`.
    package var status: Int32
    /// How many calls succeed first.
    package var skipping: Int
    /// How many calls then fail; `nil` for every later call.
    package var times: Int?
    /// The build log a failed ``OpenCLCall/buildProgram`` reports.
    package var buildLog: String

    /// Describes a failure of `call` with `status`.
    /// - Parameters:
    ///   - call: The call that fails.
    ///   - status: The status it reports instead of being made.
    ///   - skipping: How many calls succeed first.
    ///   - times: How many calls then fail; `nil` for every later call.
    ///   - buildLog: The build log of a failed ``OpenCLCall/buildProgram``.
    package init(_ call: OpenCLCall, status: Int32, skipping: Int = 0, times: Int? = nil, buildLog: String = "(injected build failure)") {
        self.call = call
        self.status = status
        self.skipping = skipping
        self.times = times
        self.buildLog = buildLog
    }
}

/// Test-only failures of OpenCL calls, confined to the task that runs ``run(_:)``.
///
/// Each call in ``OpenCLCall`` is made at one place in KeelOpenCL, which asks ``fault(for:)``
/// first; so each failure path runs deterministically without a faulty device, and tests
/// running in parallel do not see each other's faults. With nothing injected anywhere the
/// check is one relaxed atomic load. The API is `package`, so only Keel's own modules and
/// tests can reach it; there is no environment variable.
///
/// ```swift
/// let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_MEM_OBJECT_ALLOCATION_FAILURE))
/// #expect(throws: KeelError.self) { try faults.run { try backend.makeBuffer(count: 1000) } }
/// #expect(faults.failures(of: .createBuffer) == 2)   // the first try, and the retry after emptying the pool
/// ```
package final class OpenCLFaultInjection: Sendable {
    private struct Record {
        var fault: OpenCLFault?
        var calls = 0
        var failures = 0
    }

    @TaskLocal private static var current: OpenCLFaultInjection?
    /// How many ``run(_:)`` scopes are active in the process: the fast path when 0.
    private static let activeScopes = Atomic<Int>(0)

    private let records: Locked<[OpenCLCall: Record]>

    /// Faults to inject; at most one per call (a later one for the same call replaces it).
    package init(_ faults: OpenCLFault...) {
        var records: [OpenCLCall: Record] = [:]
        for call in OpenCLCall.allCases { records[call] = Record() }
        for fault in faults { records[fault.call]?.fault = fault }
        self.records = Locked(records)
    }

    /// Runs `body` with these faults injected into the OpenCL calls it makes on this task.
    package func run<Result>(_ body: () throws -> Result) rethrows -> Result {
        Self.activeScopes.add(1, ordering: .relaxed)
        defer { Self.activeScopes.subtract(1, ordering: .relaxed) }
        return try Self.$current.withValue(self, operation: body)
    }

    /// How many times `call` was reached inside ``run(_:)``, failed or not.
    package func calls(to call: OpenCLCall) -> Int {
        records.withLock { $0[call]?.calls ?? 0 }
    }

    /// How many times `call` reported its injected failure.
    package func failures(of call: OpenCLCall) -> Int {
        records.withLock { $0[call]?.failures ?? 0 }
    }

    /// The failure `call` reports now instead of being made, if this task injects one; counts the call.
    @inline(__always)
    static func fault(for call: OpenCLCall) -> OpenCLFault? {
        guard activeScopes.load(ordering: .relaxed) > 0, let current else { return nil }
        return current.next(call)
    }

    /// Whether this task injects a fault into `call` (without counting a call).
    static func injects(_ call: OpenCLCall) -> Bool {
        guard activeScopes.load(ordering: .relaxed) > 0, let current else { return false }
        return current.records.withLock { $0[call]?.fault != nil }
    }

    private func next(_ call: OpenCLCall) -> OpenCLFault? {
        records.withLock { records -> OpenCLFault? in
            guard var record = records[call] else { return nil }
            defer { records[call] = record }
            record.calls += 1
            guard let fault = record.fault, record.calls > fault.skipping,
                  fault.times.map({ record.failures < $0 }) ?? true else { return nil }
            record.failures += 1
            return fault
        }
    }
}
