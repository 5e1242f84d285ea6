import KeelCPU
import KeelCore
import KeelMinimal
import KeelTracing

/// Registers Keel's CPU backend and this package's two backends (idempotent, so every test
/// can call it first, in any order and in parallel).
enum TestBackends {
    static func register() {
        Backends.register(CPUBackend.registration)
        Backends.register(TracingBackend.registration)
        Backends.register(MinimalBackend.registration)
    }

    /// The shared `cpu` backend.
    static func cpu() throws -> any Backend {
        register()
        return try Backends.select("cpu")
    }

    /// The backends the conformance suite runs on, selected by name as a user would.
    static func selected(_ spec: String) throws -> any Backend {
        register()
        return try Backends.select(spec)
    }
}
