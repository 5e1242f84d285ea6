import Foundation

/// How a backend module makes itself selectable by name: one value, one ``Backends/register(_:)`` call.
///
/// ```swift
/// let registration = BackendRegistration(name: "mine", summary: "my accelerator", priority: 15) { argument in
///     if let argument { throw KeelError.invalidBackendSpec(spec: "mine:\(argument)", reason: "write 'mine'") }
///     return MyBackend.shared
/// }
/// Backends.register(registration)
/// let backend = try Backends.select("mine")
/// ```
public struct BackendRegistration: Sendable {
    /// The spec name (`cpu`, `opencl`, …); a spec is `name` or `name:argument`.
    public var name: String
    /// One line for listings (`keel devices`).
    public var summary: String
    /// Preference when no backend is named: the highest priority that can be created wins.
    ///
    /// Keel's own: `reference` 0, `opencl` 5 (20 when a GPU is present), `cpu` 10.
    public var priority: Int
    /// Creates the backend for the part of the spec after the colon (`nil` when absent).
    ///
    /// ``Backends/select(_:)`` calls it once per distinct spec and shares the result. It throws
    /// when the argument is malformed or the device cannot be used here.
    public var make: @Sendable (_ argument: String?) throws -> any Backend

    /// Describes a backend for ``Backends/register(_:)``.
    /// - Parameters:
    ///   - name: The spec name, non-empty and without `:`; lower-case, since specs are lower-cased.
    ///   - summary: One line for listings.
    ///   - priority: Preference when no backend is named (higher wins).
    ///   - make: Creates the backend from the spec's argument (`nil` when the spec has no colon).
    public init(name: String, summary: String, priority: Int,
                make: @escaping @Sendable (_ argument: String?) throws -> any Backend) {
        self.name = name
        self.summary = summary
        self.priority = priority
        self.make = make
    }
}

/// The backend registry and the choice of the default backend.
///
/// Third-party modules call ``register(_:)`` once; ``select(_:)`` turns a spec string into a
/// shared backend instance. The default backend comes, in order, from ``withBackend(_:_:)-7m94p``
/// (a task-local scope), the `KEEL_BACKEND` environment variable, or the highest-priority
/// registered backend that can be created. There is no global setter.
///
/// Only `reference` is registered to begin with; `Backends.registerBuiltIn()` in module `Keel`
/// adds `cpu`, and `KeelOpenCL` adds `opencl` with `Backends.register(OpenCLBackend.registration)`.
///
/// ```swift
/// let reference = try Backends.select("reference")
/// let x = try Tensor.ones([2, 3], on: reference)
/// let y = try withBackend(reference) { try Tensor.zeros([3]) }   // the scoped default
/// for registration in Backends.registrations { print(registration.name, registration.summary) }
/// ```
public enum Backends {
    private struct State {
        var registrations: [String: BackendRegistration] = [ReferenceBackend.registration.name: ReferenceBackend.registration]
        var instances: [String: any Backend] = [:]
    }

    private static let state = Locked(State())

    @TaskLocal static var scoped: (any Backend)?

    /// Makes a backend selectable by its registration's name, replacing one of the same name.
    ///
    /// Instances already created by ``select(_:)`` stay cached, so re-registering a name does not
    /// replace a backend that was selected before. Safe to call from any thread.
    /// - Parameter registration: The backend's name, priority and factory; a name that is empty
    ///   or contains `:` stops with a precondition failure.
    public static func register(_ registration: BackendRegistration) {
        precondition(!registration.name.isEmpty && !registration.name.contains(":"), "Backend names must be non-empty and contain no ':', got '\(registration.name)'")
        state.withLock { $0.registrations[registration.name] = registration }
    }

    /// Every registered backend, most preferred first.
    public static var registrations: [BackendRegistration] {
        state.withLock { Array($0.registrations.values) }.sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }
    }

    /// The backend a spec names (`reference`, `cpu`, `opencl`, `opencl:1`, …), created once and shared.
    ///
    /// The spec is trimmed and lower-cased; the part before the first `:` is the registration's
    /// name, the rest its argument. Each distinct spec creates its backend once per process.
    /// - Parameter spec: `name` or `name:argument`.
    /// - Returns: The shared instance for the spec.
    /// - Throws: ``KeelError/invalidBackendSpec(spec:reason:)`` when nothing follows the colon,
    ///   ``KeelError/unknownBackend(spec:available:)`` for an unregistered name, or
    ///   whatever the backend's factory throws when it cannot run here.
    public static func select(_ spec: String) throws -> any Backend {
        let trimmed = spec.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        let argument = parts.count > 1 ? parts[1] : nil
        if argument?.isEmpty == true {
            throw KeelError.invalidBackendSpec(spec: spec, reason: "nothing follows ':'; write '\(name)' or '\(name):<device>'")
        }
        let (registration, cached) = state.withLock { ($0.registrations[name], $0.instances[trimmed]) }
        if let cached { return cached }
        guard let registration else {
            throw KeelError.unknownBackend(spec: spec, available: registrations.map(\.name))
        }
        let created = try registration.make(argument)
        return state.withLock { state in
            if let raced = state.instances[trimmed] { return raced }
            state.instances[trimmed] = created
            return created
        }
    }

    /// The backend to use when none is passed explicitly: the scoped one, else `KEEL_BACKEND`,
    /// else the most preferred registered backend that can be created here.
    ///
    /// Tensor constructors call it when their `backend` argument is `nil`.
    /// - Throws: What ``select(_:)`` throws for the spec in `KEEL_BACKEND`, or
    ///   ``KeelError/backendUnavailable(name:reason:)`` (name `any`) when no registered backend
    ///   can be created, with every failure in the reason.
    public static func current() throws -> any Backend {
        if let scoped { return scoped }
        if let spec = ProcessInfo.processInfo.environment["KEEL_BACKEND"], !spec.isEmpty {
            return try select(spec)
        }
        var failures: [String] = []
        for registration in registrations {
            do { return try select(registration.name) } catch { failures.append("\(error)") }
        }
        throw KeelError.backendUnavailable(name: "any", reason: failures.joined(separator: "; "))
    }
}

/// Runs `body` with `backend` as the default for tensors created without an explicit backend.
///
/// The scope is task-local: it covers `body` and the child tasks it creates, not other threads,
/// and scopes nest (the innermost wins). It takes precedence over `KEEL_BACKEND`.
///
/// ```swift
/// let sum = try withBackend(Backends.select("reference")) {
///     try Tensor.ones([3]).sum().scalar()          // 3, computed on the reference backend
/// }
/// ```
/// - Parameters:
///   - backend: The default backend inside `body`.
///   - body: The code to run.
/// - Returns: What `body` returns.
public func withBackend<Result>(_ backend: any Backend, _ body: () throws -> Result) rethrows -> Result {
    try Backends.$scoped.withValue(backend, operation: body)
}

/// Runs the asynchronous `body` with `backend` as the default for tensors created without an
/// explicit backend; the scope follows `body` across suspension points and into child tasks.
/// - Parameters:
///   - backend: The default backend inside `body`.
///   - body: The code to run.
/// - Returns: What `body` returns.
public func withBackend<Result>(_ backend: any Backend, _ body: () async throws -> Result) async rethrows -> Result {
    try await Backends.$scoped.withValue(backend, operation: body)
}
