import KeelCore
import Testing
import KeelTesting

@Suite struct RegistryTests {
    @Test func referenceIsSelectableAndShared() throws {
        let first = try Backends.select("reference")
        let second = try Backends.select(" Reference ")
        #expect(first === second, "a spec selects one shared instance (trimmed, case-insensitive)")
        #expect(first.name == "reference")
        #expect(!first.deviceDescription.isEmpty)
        #expect(Backends.registrations.contains { $0.name == "reference" })
    }

    @Test func unknownSpecNamesTheAlternatives() {
        #expect {
            try Backends.select("no-such-backend")
        } throws: { error in
            guard case let KeelError.unknownBackend(spec, available) = error else { return false }
            let message = "\(error)"
            return spec == "no-such-backend" && available.contains("reference")
                && message.contains("unknown backend 'no-such-backend'") && message.contains("reference")
        }
    }

    @Test func emptyArgumentIsRejected() {
        #expect {
            try Backends.select("reference:")
        } throws: { error in
            guard case KeelError.invalidBackendSpec(spec: "reference:", _) = error else { return false }
            return "\(error)".contains("nothing follows ':'")
        }
    }

    @Test func registeredBackendsAreSelectableAndOrdered() throws {
        let reference = try Backends.select("reference")
        // Negative priorities: never the default, so tests running in parallel are unaffected.
        Backends.register(BackendRegistration(name: "conformance-dummy", summary: "test", priority: -1000) { argument in
            guard argument == nil else { throw KeelError.invalidBackendSpec(spec: "conformance-dummy:\(argument!)", reason: "takes no argument") }
            return CompositeDefaults(wrapping: reference)
        })
        Backends.register(BackendRegistration(name: "conformance-broken", summary: "test", priority: -1001) { _ in
            throw KeelError.backendUnavailable(name: "conformance-broken", reason: "no device")
        })
        let dummy = try Backends.select("conformance-dummy")
        #expect(dummy === (try Backends.select("CONFORMANCE-DUMMY")))
        #expect(dummy.name == "composite(reference)")
        #expect(throws: KeelError.invalidBackendSpec(spec: "conformance-dummy:3", reason: "takes no argument")) {
            try Backends.select("conformance-dummy:3")
        }
        #expect(throws: KeelError.backendUnavailable(name: "conformance-broken", reason: "no device")) {
            try Backends.select("conformance-broken")
        }
        let priorities = Backends.registrations.map(\.priority)
        #expect(priorities == priorities.sorted(by: >), "registrations are listed most preferred first")
        let names = Backends.registrations.map(\.name)
        #expect(names.firstIndex(of: "conformance-dummy")! < names.firstIndex(of: "conformance-broken")!)
    }

    @Test func withBackendScopesTheDefault() throws {
        let reference = try Backends.select("reference")
        let outer = CompositeDefaults(wrapping: reference)
        let inner = CompositeDefaults(wrapping: reference)
        try withBackend(outer) {
            #expect(try Backends.current() === outer)
            try withBackend(inner) { () throws -> Void in #expect(try Backends.current() === inner) }
            #expect(try Backends.current() === outer, "the inner scope ends with its closure")
        }
        // Outside any scope the default comes from KEEL_BACKEND or the registry, never from a finished scope.
        #expect((try? Backends.current()) !== outer)
    }

    @Test func withBackendReachesChildTasks() async throws {
        let scoped = CompositeDefaults(wrapping: try Backends.select("reference"))
        try await withBackend(scoped) {
            async let child = Backends.current()
            #expect(try await child === scoped)
            let grouped = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<3 { group.addTask { try Backends.current() === scoped } }
                return try await group.reduce(true) { $0 && $1 }
            }
            #expect(grouped)
        }
        #expect((try? Backends.current()) !== scoped)
    }

    // The KEEL_BACKEND environment variable is not tested: changing the environment of a running
    // test process is not thread-safe with tests running in parallel.
}
