import KeelCore
import Testing
import KeelTesting

/// The protocol's default composites (softmax, cosine product, optimiser, random fill, fill) on
/// top of the reference's primitives, compared with the reference's own implementations.
@Suite struct DefaultsConformanceTests {
    static let defaultedFamilies: Set<String> = ["fill", "softmax", "cosine", "optimizer", "random", "memory", "nonFinite"]

    @Test(arguments: Conformance.allCases.filter { defaultedFamilies.contains($0.family) })
    func compositeDefaultsOnReference(_ check: ConformanceCase) throws {
        let backend = CompositeDefaults(wrapping: try Backends.select("reference"))
        let result = check.run(on: backend)
        #expect(result.passed, "\(result.message)")
    }

    /// The reference against itself: exercises every case's own logic (guards, the offset property,
    /// round trips) and catches a case that throws or compares nothing.
    @Test(arguments: Conformance.allCases)
    func referenceAgainstItself(_ check: ConformanceCase) throws {
        let result = check.run(on: try Backends.select("reference"))
        #expect(result.passed, "\(result.message)")
    }
}
