/// Placeholder replaced by the reference backend implementation.
public final class ReferenceBackend: Sendable {
    static let registration = BackendRegistration(name: "reference", summary: "scalar loops in Double; the oracle", priority: 0) { _ in fatalError() }
}
