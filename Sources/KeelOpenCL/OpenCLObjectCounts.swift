/// The OpenCL objects a backend holds at one moment, so tests can check that a failure
/// released what the failed operation had allocated.
package struct OpenCLObjectCounts: Sendable, Hashable, CustomStringConvertible {
    /// Memory objects handed out as buffers and not yet released (tensors, scratch, and any leak).
    package var buffersInUse: Int
    /// Released memory objects kept for reuse.
    package var pooledBuffers: Int
    /// Built programs, each kept for the life of the backend.
    package var programs: Int
    /// Kernel objects, each kept for the life of the backend.
    package var kernels: Int

    /// Counts to compare with ``OpenCLBackend/objectCounts``.
    package init(buffersInUse: Int, pooledBuffers: Int, programs: Int, kernels: Int) {
        self.buffersInUse = buffersInUse
        self.pooledBuffers = pooledBuffers
        self.programs = programs
        self.kernels = kernels
    }

    /// The four counts on one line.
    package var description: String {
        "\(buffersInUse) buffers in use, \(pooledBuffers) pooled, \(programs) programs, \(kernels) kernels"
    }
}

extension OpenCLBackend {
    /// The OpenCL objects this backend holds now.
    package var objectCounts: OpenCLObjectCounts {
        OpenCLObjectCounts(buffersInUse: pool.inUseCount, pooledBuffers: pool.pooledCount,
                           programs: programs.programCount, kernels: runtime.kernelCount)
    }
}
