import Foundation
import KeelCore

/// The result of one conformance case: the comparisons it made, or the error it threw.
public struct CaseResult: Sendable {
    public var comparisons: [Comparison]
    /// What the backend (or the harness) threw, if anything.
    public var error: String?

    public init(comparisons: [Comparison], error: String? = nil) {
        self.comparisons = comparisons
        self.error = error
    }

    public var passed: Bool { error == nil && !comparisons.isEmpty && comparisons.allSatisfy(\.passed) }

    /// The failing comparisons (or the error), one per line; a summary of the worst errors when it passed.
    public var message: String {
        if let error { return "threw: \(error)" }
        if comparisons.isEmpty { return "made no comparison (a case that cannot fail is a defect)" }
        let failing = comparisons.filter { !$0.passed }
        return (failing.isEmpty ? comparisons : failing).map(\.description).joined(separator: "\n")
    }
}

/// One named check of a backend against the reference (in the style of swift-collections'
/// `checkCollection`): `run(on:)` never throws; a thrown error becomes a failed result.
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// The operation family (`gemm`, `conv2d`, `unary`, …), for filtering.
    public let family: String
    /// A unique name that says what is tested (operation, descriptor, shape, options).
    public let name: String
    private let body: @Sendable (Harness) throws -> [Comparison]

    /// A case whose body compares through a ``Harness`` seeded from `name`.
    public init(family: String, name: String, _ body: @escaping @Sendable (Harness) throws -> [Comparison]) {
        self.family = family
        self.name = name
        self.body = body
    }

    public var description: String { name }

    public func run(on backend: any Backend) -> CaseResult {
        do {
            let harness = try Harness(backend, seed: stableSeed(name))
            return CaseResult(comparisons: try body(harness))
        } catch {
            return CaseResult(comparisons: [], error: "\(error)")
        }
    }
}

/// The outcome of ``checkBackend(_:cases:)``.
public struct ConformanceReport: Sendable, CustomStringConvertible {
    public struct Entry: Sendable {
        public let name: String
        public let family: String
        public let result: CaseResult
    }

    public let backend: String
    public let entries: [Entry]

    public var failures: [Entry] { entries.filter { !$0.result.passed } }
    public var passed: Bool { failures.isEmpty }

    public var description: String {
        let failed = failures
        var text = "\(backend): \(entries.count - failed.count) of \(entries.count) conformance cases passed"
        for entry in failed {
            text += "\n✗ \(entry.name)\n    " + entry.result.message.replacingOccurrences(of: "\n", with: "\n    ")
        }
        return text
    }
}

/// Runs every conformance case (or `cases`) on `backend`, comparing it with the reference
/// backend, and summarises the result. For backend authors:
///
/// ```swift
/// let report = checkBackend(MyBackend())
/// precondition(report.passed, report.description)
/// ```
public func checkBackend(_ backend: any Backend, cases: [ConformanceCase] = Conformance.allCases) -> ConformanceReport {
    ConformanceReport(backend: backend.name, entries: cases.map {
        ConformanceReport.Entry(name: $0.name, family: $0.family, result: $0.run(on: backend))
    })
}

/// The catalogue of conformance cases, by operation family.
public enum Conformance {
    /// Every case, every operation of ``Backend``.
    public static var allCases: [ConformanceCase] {
        memoryCases + copyCases + gemmCases + convolutionCases + poolingCases + unaryCases + binaryCases
            + reductionCases + softmaxCases + cosineCases + optimizerCases + randomCases
    }
}
