// The umbrella module: `import Keel` brings in the core and every built-in backend.
@_exported import KeelCore
@_exported import KeelCPU
@_exported import KeelData
@_exported import KeelNN

extension Backends {
    /// Registers every backend built into Keel (`cpu`; `reference` is always registered).
    ///
    /// Call once at start-up, before ``Backends/select(_:)`` or ``Backends/current()``:
    /// ```swift
    /// import Keel
    /// Backends.registerBuiltIn()
    /// let backend = try Backends.current()   // KEEL_BACKEND, else the best available
    /// ```
    public static func registerBuiltIn() {
        register(CPUBackend.registration)
    }
}
