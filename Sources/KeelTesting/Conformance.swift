import Foundation
import KeelCore

/// The result of one conformance case: the comparisons it made, or the error it threw.
public struct CaseResult: Sendable {
    /// Each output the case compared with the reference, in the order the case made them.
    public var comparisons: [Comparison]
    /// What the backend (or the harness) threw, if anything, as its description.
    public var error: String?

    /// A result from its parts.
    ///
    /// - Parameters:
    ///   - comparisons: the comparisons the case made (empty when it threw).
    ///   - error: the description of what was thrown, or nil.
    public init(comparisons: [Comparison], error: String? = nil) {
        self.comparisons = comparisons
        self.error = error
    }

    /// Whether nothing was thrown, at least one comparison was made, and every comparison passed.
    ///
    /// A case that made no comparison fails: it could not have failed, so it proves nothing.
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
/// `checkCollection`): ``run(on:)`` never throws; a thrown error becomes a failed result.
///
/// A case is a value, so Swift Testing can run each as its own test with
/// `@Test(arguments: Conformance.allCases)`; its ``description`` (the name) labels the argument.
/// Its inputs are seeded from ``name`` with ``stableSeed(_:)``, so a case computes the same
/// data on every run and platform.
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// The operation family (`gemm`, `conv2d`, `unary`, …), for filtering.
    public let family: String
    /// A unique name that says what is tested (operation, descriptor, shape, options).
    public let name: String
    private let body: @Sendable (Harness) throws -> [Comparison]

    /// A case whose body compares through a ``Harness`` seeded from `name`.
    ///
    /// ```swift
    /// let negate = ConformanceCase(family: "unary", name: "my negate count=5") { h in
    ///     let x = try h.input(h.data.uniform(5, -1, 1))
    ///     let y = try h.output(count: 5)
    ///     try h.run { backend, side in try backend.unary(.negate, input: x[side], output: y[side], count: 5) }
    ///     return [try h.compare("unary", "negate", y, tolerance: .exact)]
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - family: the operation family, for filtering (`gemm`, `conv2d`, …).
    ///   - name: a name unique among the cases run together; it also seeds the case's data.
    ///   - body: runs the operation on both backends through the harness and returns the
    ///     comparisons of every output; may throw.
    public init(family: String, name: String, _ body: @escaping @Sendable (Harness) throws -> [Comparison]) {
        self.family = family
        self.name = name
        self.body = body
    }

    /// The case's ``name``, so a Swift Testing argument list shows which case failed.
    public var description: String { name }

    /// Runs the case on `backend` and on the reference backend and compares their outputs.
    ///
    /// Never throws: an error from the backend, the reference or the harness becomes a
    /// result with ``CaseResult/error`` set.
    ///
    /// - Parameter backend: the backend under test.
    /// - Returns: the comparisons made, or the error.
    public func run(on backend: any Backend) -> CaseResult {
        do {
            let harness = try Harness(backend, seed: stableSeed(name))
            return CaseResult(comparisons: try body(harness))
        } catch {
            return CaseResult(comparisons: [], error: "\(error)")
        }
    }
}

/// The outcome of ``checkBackend(_:cases:)``: every case's result, in the order run.
public struct ConformanceReport: Sendable, CustomStringConvertible {
    /// One case's result.
    public struct Entry: Sendable {
        /// The case's ``ConformanceCase/name``.
        public let name: String
        /// The case's ``ConformanceCase/family``.
        public let family: String
        /// What the case found.
        public let result: CaseResult
    }

    /// The name of the backend checked (its `Backend.name`).
    public let backend: String
    /// One entry per case run.
    public let entries: [Entry]

    /// The entries whose case did not pass.
    public var failures: [Entry] { entries.filter { !$0.result.passed } }
    /// Whether every case passed.
    public var passed: Bool { failures.isEmpty }

    /// `name: P of N conformance cases passed`, then each failing case with its failing
    /// comparisons (or its error), indented.
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
///
/// The cases run one after another on the calling thread. In a test target, prefer one Swift
/// Testing case per ``ConformanceCase`` (see <doc:KeelTesting>): they run in parallel and each
/// failure is reported by the case's name.
///
/// - Parameters:
///   - backend: the backend under test; ``Harness`` selects the reference with
///     `Backends.select("reference")`.
///   - cases: the cases to run (default: ``Conformance/allCases``); filter by
///     ``ConformanceCase/family`` to check part of a backend.
/// - Returns: every case's result; ``ConformanceReport/passed`` says whether all passed.
public func checkBackend(_ backend: any Backend, cases: [ConformanceCase] = Conformance.allCases) -> ConformanceReport {
    ConformanceReport(backend: backend.name, entries: cases.map {
        ConformanceReport.Entry(name: $0.name, family: $0.family, result: $0.run(on: backend))
    })
}

/// The catalogue of conformance cases, by operation family.
///
/// Each family's list covers the operation's edge cases: awkward and zero sizes, strided and
/// broadcast views, in-place operation, special values, and buffers whose trailing guard
/// elements must stay untouched. Families: `memory`, `fill`, `copy`, `gemm`, `conv2d`, `pool2d`,
/// `unary`, `binary`, `reduce`, `softmax`, `cosine`, `optimizer` and `random`, one per operation,
/// and `nonFinite`, which feeds NaN and infinities through every operation (``nonFiniteCases``).
public enum Conformance {
    /// Every case: every operation of the `Backend` protocol, the required ones and those with
    /// default implementations, on finite data and with NaN and infinities.
    public static var allCases: [ConformanceCase] {
        memoryCases + copyCases + gemmCases + convolutionCases + poolingCases + unaryCases + binaryCases
            + reductionCases + softmaxCases + cosineCases + cosineBackwardCases + optimizerCases + randomCases + nonFiniteCases
    }
}
