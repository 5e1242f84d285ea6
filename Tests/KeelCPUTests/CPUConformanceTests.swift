import KeelCore
import KeelCPU
import Testing
import KeelTesting

/// Every conformance case on the CPU backend, and on the protocol defaults over its primitives.
@Suite struct CPUConformanceTests {
    static func cpu() throws -> any Backend {
        Backends.register(CPUBackend.registration)
        return try Backends.select("cpu")
    }

    @Test(arguments: Conformance.allCases)
    func cpuBackend(_ check: ConformanceCase) throws {
        let result = check.run(on: try Self.cpu())
        #expect(result.passed, "\(result.message)")
    }

    @Test(arguments: Conformance.allCases)
    func compositeDefaultsOnCPU(_ check: ConformanceCase) throws {
        let result = check.run(on: CompositeDefaults(wrapping: try Self.cpu()))
        #expect(result.passed, "\(result.message)")
    }
}

@Suite struct CPURegistryTests {
    @Test func cpuIsSelectable() throws {
        Backends.register(CPUBackend.registration)
        let cpu = try Backends.select("cpu")
        #expect(cpu === (try Backends.select("CPU")))
        #expect(cpu.name == "cpu")
        #expect(!cpu.deviceDescription.isEmpty)
    }

    @Test func cpuRejectsADeviceArgument() {
        Backends.register(CPUBackend.registration)
        #expect {
            try Backends.select("cpu:3")
        } throws: { error in
            guard case KeelError.invalidBackendSpec(spec: "cpu:3", _) = error else { return false }
            return true
        }
    }
}
