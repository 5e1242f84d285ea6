import COpenCL
import Foundation
import KeelCore
import KeelOpenCL
import Synchronization
import Testing

/// Device faults injected into OpenCL calls: each gives the right typed error with advice,
/// releases what the failed operation allocated, and leaves the process able to compute.
///
/// Every test uses its own backend, so the object counts it compares are its own, and its
/// faults (scoped to its task) reach no other test.
@Suite struct OpenCLFaultTests {
    /// A backend of its own on the default device.
    static func backend(options: OpenCLOptions = OpenCLOptions()) throws -> OpenCLBackend {
        try OpenCLBackend(device: OpenCLRuntimeTests.device(), options: options)
    }

    /// A 37×29×19 GEMM of small integers (exact in Float32).
    static func gemm(on backend: any Backend) throws -> [Float] {
        let a = try Tensor((0..<(37 * 29)).map { Float($0 % 7) - 3 }, shape: [37, 29], on: backend)
        let b = try Tensor((0..<(29 * 19)).map { Float($0 % 5) - 2 }, shape: [29, 19], on: backend)
        return try a.matmul(b).toArray()
    }

    /// One gradient-descent step of a linear least-squares model: the loss, then the updated weights and bias.
    static func trainingStep(on backend: any Backend) throws -> [Float] {
        let x = try Tensor((0..<40).map { Float($0 % 9) / 4 - 1 }, shape: [8, 5], on: backend)
        let y = try Tensor((0..<24).map { Float($0 % 5) / 2 - 1 }, shape: [8, 3], on: backend)
        let w = try Tensor((0..<15).map { Float($0 % 7) / 10 - 0.3 }, shape: [5, 3], on: backend).requiringGradient()
        let b = try Tensor.zeros([3], on: backend).requiringGradient()
        let loss = try (x.matmul(w) + b - y).square().mean()
        let gradients = try loss.gradients(of: [w, b])
        return try [loss.scalar()] + (w - 0.1 * gradients[0]).toArray() + (b - 0.1 * gradients[1]).toArray()
    }

    /// Expects `backend` to compute the GEMM and the training step as the reference backend does.
    static func expectComputes(on backend: any Backend) throws {
        let reference = try Backends.select("reference")
        #expect(try gemm(on: backend) == gemm(on: reference), "GEMM on \(backend.name) after the fault")
        let (step, expected) = (try trainingStep(on: backend), try trainingStep(on: reference))
        #expect(step.count == expected.count && zip(step, expected).allSatisfy { abs($0 - $1) <= 1e-5 },
                "training step on \(backend.name) after the fault: \(step) vs \(expected)")
    }

    /// Whether `error` is `callFailed` for `function` with `code`, its message on one line with advice.
    static func isCallFailure(_ error: any Error, _ function: String, _ code: Int32, context: String, advice: String) -> Bool {
        guard case let OpenCLError.callFailed(failed, failedCode, failedContext) = error else { return false }
        let message = "\(error)"
        return failed == function && failedCode == code && failedContext.contains(context)
            && message.contains(OpenCLError.name(of: code)) && message.contains(advice) && !message.contains("\n")
    }

    /// `CL_PLATFORM_NOT_FOUND_KHR` (from `cl_ext.h`): what the ICD loader returns when no driver is installed.
    static let platformNotFound: Int32 = -1001

    @Test(arguments: [(platformNotFound, "clGetPlatformIDs returned CL_PLATFORM_NOT_FOUND_KHR"),
                      (CL_SUCCESS, "the ICD loader lists no platform")])
    func noPlatformIsTypedAndAnotherBackendStillWorks(_ status: Int32, _ detail: String) throws {
        let registration = OpenCLBackend.registration
        let faults = OpenCLFaultInjection(OpenCLFault(.getPlatformIDs, status: status))
        #expect {
            try faults.run { try registration.make(nil) }
        } throws: { error in
            "\(error)".contains("pocl-opencl-icd") && "\(error)".contains("clinfo")
                && error as? OpenCLError == .noPlatform(detail: detail)
        }
        #expect(faults.failures(of: .getPlatformIDs) == 1)
        try Self.expectComputes(on: Backends.select("reference"))
        #expect(try !OpenCLDevice.all().isEmpty, "A failed discovery must not be remembered")
    }

    /// The smaller of the device's largest allocation and the kernels' 32-bit index limit is
    /// the one a request meets first; which one that is depends on the device (PoCL allows 8 GiB
    /// in one buffer on a 24 GiB machine, 512 MiB with `POCL_MEMORY_LIMIT=2`).
    @Test func anAllocationAboveTheDeviceLimitIsRefusedBeforeCallingOpenCL() throws {
        let backend = try Self.backend()
        let limit = backend.device.maxAllocationBytes
        let count = limit / 4 + 1
        let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_MEM_OBJECT_ALLOCATION_FAILURE))
        let expected = count > Int(Int32.max) ? Self.indexLimitError(backend, count: count) : KeelError.outOfMemory(
            backend: backend.name, requestedBytes: count * 4,
            detail: "\(backend.device.name) allows at most \(limit) bytes (\(limit >> 20) MiB) in one buffer and has "
                + "\(backend.device.globalMemoryBytes >> 20) MiB in all; use smaller batches, another device or the cpu backend")
        #expect(throws: expected) {
            try faults.run { try Tensor.zeros([count], on: backend) }
        }
        #expect(faults.calls(to: .createBuffer) == 0, "The device must not be asked for more than its limit")
        #expect(backend.objectCounts.buffersInUse == 0)
        try Self.expectComputes(on: backend)
    }

    @Test func moreElementsThanA32BitIndexReachesAreRefusedOnAnyDevice() throws {
        let backend = try Self.backend()
        let count = Int(Int32.max) + 1
        let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_MEM_OBJECT_ALLOCATION_FAILURE))
        #expect(throws: Self.indexLimitError(backend, count: count)) {
            try faults.run { try backend.makeBuffer(count: count) }
        }
        #expect(faults.calls(to: .createBuffer) == 0 && backend.objectCounts.buffersInUse == 0)
    }

    /// What a request for `count` elements, more than a 32-bit index reaches, throws.
    static func indexLimitError(_ backend: OpenCLBackend, count: Int) -> KeelError {
        .outOfMemory(backend: backend.name, requestedBytes: count * 4,
                     detail: "Keel's OpenCL kernels index buffers with 32-bit integers, so one buffer holds at most \(Int32.max) elements; split the tensor")
    }

    @Test func outOfDeviceMemoryEmptiesThePoolAndIsTyped() throws {
        let backend = try Self.backend()
        _ = try Self.gemm(on: backend)
        let before = backend.objectCounts
        #expect(before.pooledBuffers > 0, "The GEMM's buffers should be pooled: \(before)")
        let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_MEM_OBJECT_ALLOCATION_FAILURE))
        #expect {
            try faults.run { try backend.makeBuffer(count: 12_345) }
        } throws: { error in
            guard case let KeelError.outOfMemory(name, requested, detail) = error else { return false }
            return name == backend.name && requested == 12_345 * 4 && detail.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE")
                && detail.contains(backend.device.name) && detail.contains("smaller batches") && !"\(error)".contains("\n")
        }
        #expect(faults.failures(of: .createBuffer) == 2, "One try, and one more after emptying the pool")
        #expect(backend.objectCounts == OpenCLObjectCounts(buffersInUse: before.buffersInUse, pooledBuffers: 0,
                                                           programs: before.programs, kernels: before.kernels))
        try Self.expectComputes(on: backend)
    }

    @Test func aTransientAllocationFailureIsRetriedAfterEmptyingThePool() throws {
        let backend = try Self.backend()
        _ = try Self.gemm(on: backend)
        let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_OUT_OF_RESOURCES, times: 1))
        let buffer = try faults.run { try backend.makeBuffer(count: 12_345) }
        #expect(buffer.count == 12_345)
        #expect(faults.calls(to: .createBuffer) == 2 && faults.failures(of: .createBuffer) == 1)
        #expect(backend.objectCounts.pooledBuffers == 0 && backend.objectCounts.buffersInUse == 1)
        try Self.expectComputes(on: backend)
    }

    @Test func anAllocationFailureInsideAnOperationReleasesItsOtherBuffers() throws {
        let backend = try Self.backend()
        let a = try Tensor((0..<(23 * 31)).map { Float($0 % 3) }, shape: [23, 31], on: backend)
        let b = try Tensor((0..<(31 * 11)).map { Float($0 % 4) }, shape: [31, 11], on: backend)
        let before = backend.objectCounts
        // The product's buffer is allocated; the packed copy of B after it is not.
        let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_MEM_OBJECT_ALLOCATION_FAILURE, skipping: 1))
        #expect(throws: KeelError.self) { try faults.run { try a.matmul(b) } }
        #expect(faults.calls(to: .createBuffer) == 3, "The product, then the packed B and its retry")
        #expect(backend.objectCounts.buffersInUse == before.buffersInUse, "\(backend.objectCounts) after, \(before) before")
        try Self.expectComputes(on: backend)
    }

    @Test func aFailedEnqueueIsTypedAndReleasesTheOperationsBuffers() throws {
        let backend = try Self.backend()
        let a = try Tensor((0..<(37 * 29)).map { Float($0 % 7) - 3 }, shape: [37, 29], on: backend)
        let b = try Tensor((0..<(29 * 19)).map { Float($0 % 5) - 2 }, shape: [29, 19], on: backend)
        let before = backend.objectCounts
        // pack_b is enqueued; gemm is not.
        let faults = OpenCLFaultInjection(OpenCLFault(.enqueueNDRangeKernel, status: CL_OUT_OF_RESOURCES, skipping: 1))
        #expect {
            try faults.run { try a.matmul(b) }
        } throws: { error in
            Self.isCallFailure(error, "clEnqueueNDRangeKernel", CL_OUT_OF_RESOURCES, context: "launching kernel gemm over",
                               advice: "use smaller batches")
        }
        #expect(faults.calls(to: .enqueueNDRangeKernel) == 2 && faults.failures(of: .enqueueNDRangeKernel) == 1)
        #expect(backend.objectCounts.buffersInUse == before.buffersInUse, "\(backend.objectCounts) after, \(before) before")
        try Self.expectComputes(on: backend)
    }

    @Test func aKernelThatFailsToBuildReleasesItsProgram() throws {
        let backend = try Self.backend(options: OpenCLOptions(programCacheDirectory: nil, kernelDirectory: nil, profiling: false))
        let log = "gemm.cl:1:1: error: injected build failure"
        let faults = OpenCLFaultInjection(OpenCLFault(.buildProgram, status: CL_BUILD_PROGRAM_FAILURE, buildLog: log))
        #expect {
            try faults.run { try Self.gemm(on: backend) }
        } throws: { error in
            guard case let OpenCLError.buildFailed(file, device, options, failedLog) = error else { return false }
            return file == "gemm.cl" && device == backend.device.name && options.hasPrefix("-cl-std=CL1.2") && failedLog == log
        }
        #expect(faults.failures(of: .buildProgram) == 1)
        #expect(backend.objectCounts == OpenCLObjectCounts(buffersInUse: 0, pooledBuffers: 3, programs: 0, kernels: 0),
                "The failed program and the GEMM's buffers are released: \(backend.objectCounts)")
        try Self.expectComputes(on: backend)
        #expect(backend.compilationStatistics.compiledFromSource >= 1, "The failed build is not cached")
    }

    @Test func aFailedBuildForAnotherReasonIsACallFailureWithItsLog() throws {
        let backend = try Self.backend(options: OpenCLOptions(programCacheDirectory: nil, kernelDirectory: nil, profiling: false))
        let faults = OpenCLFaultInjection(OpenCLFault(.buildProgram, status: CL_OUT_OF_HOST_MEMORY, buildLog: "(no build log)"))
        #expect {
            try faults.run { try Self.gemm(on: backend) }
        } throws: { error in
            Self.isCallFailure(error, "clBuildProgram", CL_OUT_OF_HOST_MEMORY, context: "building gemm.cl for \(backend.device.name)",
                               advice: "use smaller batches")
        }
        #expect(backend.objectCounts.programs == 0)
        try Self.expectComputes(on: backend)
    }

    @Test func aFailureOfQueuedWorkSurfacesAtTheNextSynchronize() throws {
        let backend = try Self.backend()
        let faults = OpenCLFaultInjection(OpenCLFault(.finish, status: CL_OUT_OF_RESOURCES))
        let isQueueFailure: (any Error) -> Bool = {
            Self.isCallFailure($0, "clFinish", CL_OUT_OF_RESOURCES, context: "waiting for the work enqueued on \(backend.device.name)",
                               advice: "choose another device")
        }
        let product = try Tensor.ones([16, 16], on: backend).matmul(Tensor.ones([16, 16], on: backend))
        #expect(performing: { try faults.run { try backend.synchronize() } }, throws: isQueueFailure)
        // A download with nothing to copy still waits for the queue, so it reports the failure too.
        #expect(performing: { try faults.run { try Tensor.zeros([0], on: backend).toArray() } }, throws: isQueueFailure)
        #expect(faults.failures(of: .finish) == 2)
        #expect(try product.toArray() == [Float](repeating: 16, count: 256))
        try Self.expectComputes(on: backend)
    }

    @Test func aFailedDownloadIsTypedWithAdvice() throws {
        let backend = try Self.backend()
        let product = try Tensor.ones([16, 16], on: backend).matmul(Tensor.ones([16, 16], on: backend))
        let faults = OpenCLFaultInjection(OpenCLFault(.enqueueReadBuffer, status: CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST))
        #expect {
            try faults.run { try product.toArray() }
        } throws: { error in
            Self.isCallFailure(error, "clEnqueueReadBuffer", CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST,
                               context: "downloading 256 values from \(backend.device.name)", advice: "results since the last synchronize are lost")
        }
        #expect(faults.failures(of: .enqueueReadBuffer) == 1)
        #expect(try product.toArray() == [Float](repeating: 16, count: 256))
        try Self.expectComputes(on: backend)
    }

    @Test func faultsReachOnlyTheTaskThatInjectsThem() throws {
        let backend = try Self.backend()
        let faults = OpenCLFaultInjection(OpenCLFault(.createBuffer, status: CL_MEM_OBJECT_ALLOCATION_FAILURE))
        let elsewhere = AllocatedCount()
        faults.run {
            let done = DispatchSemaphore(value: 0)
            Thread {
                elsewhere.value.withLock { $0 = (try? backend.makeBuffer(count: 777))?.count }
                done.signal()
            }.start()
            done.wait()
            #expect(throws: KeelError.self) { try backend.makeBuffer(count: 778) }
        }
        #expect(elsewhere.value.withLock { $0 } == 777, "An allocation on another thread must not see the faults")
        #expect(faults.calls(to: .createBuffer) == 2, "Only this task's allocation and its retry")
    }
}

/// What an allocation on another thread returned.
private final class AllocatedCount: Sendable {
    let value = Mutex<Int?>(nil)
}
