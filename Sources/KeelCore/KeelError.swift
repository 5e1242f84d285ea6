/// Errors from outside the program: backend specs, devices, the environment.
///
/// Each case's description is one line that says what was wrong and what to do.
public enum KeelError: Error, Equatable, CustomStringConvertible {
    /// A backend spec named no registered backend.
    case unknownBackend(spec: String, available: [String])
    /// A backend spec was malformed (for example `cpu:x` for a backend that takes no argument).
    case invalidBackendSpec(spec: String, reason: String)
    /// A registered backend could not be created on this machine.
    case backendUnavailable(name: String, reason: String)
    /// The device could not provide the requested memory.
    case outOfMemory(backend: String, requestedBytes: Int, detail: String)
    /// The device failed while running an operation.
    case deviceFailure(backend: String, operation: String, detail: String)

    public var description: String {
        switch self {
        case let .unknownBackend(spec, available):
            "unknown backend '\(spec)': choose one of \(available.joined(separator: ", ")) (set with --backend or KEEL_BACKEND)"
        case let .invalidBackendSpec(spec, reason):
            "invalid backend spec '\(spec)': \(reason)"
        case let .backendUnavailable(name, reason):
            "backend '\(name)' is unavailable: \(reason)"
        case let .outOfMemory(backend, requestedBytes, detail):
            "backend '\(backend)' could not allocate \(requestedBytes) bytes: \(detail)"
        case let .deviceFailure(backend, operation, detail):
            "backend '\(backend)' failed in \(operation): \(detail)"
        }
    }
}
