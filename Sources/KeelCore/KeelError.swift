/// Errors from outside the program: backend specs, devices, the environment.
///
/// Each case's ``description`` is one line that says what was wrong and what to do, ready to
/// print for a user. Programming errors (shapes that do not fit, a buffer from another backend)
/// are not thrown; they stop with a `precondition` that names the shapes.
///
/// ```swift
/// do {
///     _ = try Backends.select("gpu")
/// } catch let error as KeelError {
///     print(error)   // unknown backend 'gpu': choose one of reference (set with --backend or KEEL_BACKEND)
/// }
/// ```
public enum KeelError: Error, Equatable, CustomStringConvertible {
    /// A backend spec named no registered backend.
    ///
    /// `spec` is the spec as given; `available` lists the registered names, most preferred first.
    case unknownBackend(spec: String, available: [String])
    /// A backend spec was malformed (for example `cpu:x` for a backend that takes no argument,
    /// or `opencl:` with nothing after the colon); `reason` says how to write it.
    case invalidBackendSpec(spec: String, reason: String)
    /// A registered backend could not be created on this machine (`name` is `any` when no
    /// registered backend could); `reason` carries the underlying failures.
    case backendUnavailable(name: String, reason: String)
    /// The device could not provide `requestedBytes` bytes in one buffer; `detail` says why
    /// (the device's limits) and what to try (smaller batches, another device).
    case outOfMemory(backend: String, requestedBytes: Int, detail: String)
    /// The device failed while running `operation` (a kernel launch, a transfer); `detail` is
    /// the device's own report. Keel's own backends do not throw it (the OpenCL backend throws
    /// its `OpenCLError`); it is there for third-party backends.
    case deviceFailure(backend: String, operation: String, detail: String)

    /// The one-line message: what was wrong and what to do.
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
