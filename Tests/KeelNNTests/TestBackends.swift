import KeelCPU
import KeelCore
import KeelOpenCL

/// The backend a test names (`cpu`, `opencl`, `reference`), with every built-in backend
/// registered. No OpenCL device is a failure, not a skip.
func testBackend(_ spec: String) throws -> any Backend {
    Backends.register(CPUBackend.registration)
    Backends.register(OpenCLBackend.registration)
    return try Backends.select(spec)
}
