// The umbrella module: `import Keel` brings in the core and every built-in backend.
@_exported import KeelCore
@_exported import KeelCPU
@_exported import KeelData
@_exported import KeelNN

/// Registration of the backends that come with the `Keel` product.
extension Backends {
    /// Registers every backend built into Keel (`cpu`; `reference` is always registered).
    ///
    /// Call once at start-up, before `Backends.select(_:)` or `Backends.current()`; calling it
    /// again is harmless (a registration replaces the one of the same name). The CPU backend's
    /// priority is above the reference backend's, so without `KEEL_BACKEND` or a
    /// `withBackend(_:_:)` scope the default backend is `cpu`, unless a backend of higher
    /// priority (OpenCL on a GPU) is registered too. The OpenCL backend lives in its own product: register it with
    /// `Backends.register(OpenCLBackend.registration)` after `import KeelOpenCL`.
    ///
    /// ```swift
    /// import Keel
    /// Backends.registerBuiltIn()
    /// let backend = try Backends.current()   // KEEL_BACKEND, else the best available
    /// ```
    public static func registerBuiltIn() {
        register(CPUBackend.registration)
    }
}
