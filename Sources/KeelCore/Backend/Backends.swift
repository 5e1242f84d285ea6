import Foundation
import Synchronization

/// How a backend module makes itself selectable by name: one value, one ``Backends/register(_:)`` call.
public struct BackendRegistration: Sendable {
    /// The spec name (`cpu`, `opencl`, …); a spec is `name` or `name:argument`.
    public var name: String
    /// One line for listings (`keel devices`).
    public var summary: String
    /// Preference when no backend is named: the highest priority that can be created wins.
    public var priority: Int
    /// Creates the backend for the part of the spec after the colon (`nil` when absent).
    public var make: @Sendable (_ argument: String?) throws -> any Backend

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
/// shared backend instance. The default backend comes, in order, from ``withBackend(_:_:)-8pfmq``
/// (a task-local scope), the `KEEL_BACKEND` environment variable, or the highest-priority
/// registered backend that can be created. There is no global setter.
public enum Backends {
    private struct State {
        var registrations: [String: BackendRegistration] = [ReferenceBackend.registration.name: ReferenceBackend.registration]
        var instances: [String: any Backend] = [:]
    }

    private static let state = Mutex(State())

    @TaskLocal static var scoped: (any Backend)?

    /// Makes a backend selectable by its registration's name, replacing one of the same name.
    public static func register(_ registration: BackendRegistration) {
        precondition(!registration.name.isEmpty && !registration.name.contains(":"), "Backend names must be non-empty and contain no ':', got '\(registration.name)'")
        state.withLock { $0.registrations[registration.name] = registration }
    }

    /// Every registered backend, most preferred first.
    public static var registrations: [BackendRegistration] {
        state.withLock { Array($0.registrations.values) }.sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }
    }

    /// The backend a spec names (`reference`, `cpu`, `opencl`, `opencl:1`, …), created once and shared.
    /// - Throws: ``KeelError/unknownBackend(spec:available:)`` for an unregistered name, or
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
public func withBackend<Result>(_ backend: any Backend, _ body: () throws -> Result) rethrows -> Result {
    try Backends.$scoped.withValue(backend, operation: body)
}

/// Runs `body` with `backend` as the default for tensors created without an explicit backend.
public func withBackend<Result>(_ backend: any Backend, _ body: () async throws -> Result) async rethrows -> Result {
    try await Backends.$scoped.withValue(backend, operation: body)
}
