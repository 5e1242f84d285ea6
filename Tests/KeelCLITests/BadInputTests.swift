import Foundation
import Testing

/// The corpus of broken files and nonsense flags (`Corpus/`, `BadInputCorpus.swift`), fed to the real `keel`.
///
/// Each case must end by itself with a non-zero status (no trap, no signal, no hang), print exactly one line on
/// standard error, starting `Error:` and naming the file or flag at fault, and leave the output directory exactly as
/// it was: no output file, no stray temporary file, an existing output byte for byte intact.
@Suite("keel refuses bad input cleanly")
struct BadInputTests {
    @Test("Each bad file or flag is refused with one line, a non-zero exit and no output", arguments: BadInput.all)
    func refused(_ input: BadInput) throws {
        let output = try OutputDirectory()
        defer { output.remove() }
        let before = try output.contents()

        let result = try GuardedKeel.run(input.resolvedArguments(output: output.url), environment: input.environment)

        let problems = try Self.problems(of: result, naming: input.names, output: output, before: before)
        #expect(problems.isEmpty, "\(problems.joined(separator: "; "))")
    }

    /// Phrases of Foundation's and Codable's own errors: a message holding one tells the user nothing they can act on.
    static let untranslated = ["The operation could not be completed", "NSCocoaErrorDomain", "EncodingError", "DecodingError"]

    /// What went wrong, one phrase each, so that every failing case reads as one line.
    static func problems(of result: GuardedKeel.Result, naming names: [String], output: OutputDirectory, before: [String: Data]) throws -> [String] {
        if result.hung {
            return ["hung: killed after \(GuardedKeel.watchdogSeconds) s"]
        }
        var problems: [String] = []
        let lines = result.standardError.isEmpty ? []
            : result.standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast(result.standardError.hasSuffix("\n") ? 1 : 0)
        let first = lines.first.map(String.init) ?? ""
        if !result.exitedNormally {
            problems.append("crashed (signal \(result.status)): \(first)")
        } else if result.status == 0 {
            problems.append("succeeded")
        }
        if lines.count != 1 {
            problems.append("\(lines.count) lines on standard error: \(lines.prefix(3).joined(separator: " ⏎ "))")
        } else if !first.hasPrefix("Error: ") {
            problems.append("does not start with 'Error: ': \(first)")
        }
        if result.exitedNormally, !lines.isEmpty, !names.contains(where: { result.standardError.contains($0) }) {
            problems.append("does not name \(names.joined(separator: " or ")): \(first)")
        }
        if first.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" }) {
            problems.append("prints raw control characters: \(first.debugDescription.prefix(300))")
        }
        if let phrase = untranslated.first(where: { first.contains($0) }) {
            problems.append("passes on an internal error ('\(phrase)') instead of saying what is wrong: \(first)")
        }
        let after = try output.contents()
        if after != before {
            problems.append("left the output directory changed: \(OutputDirectory.difference(before, after))")
        }
        return problems
    }

    @Test("The corpus's valid files and the base checkpoint are accepted, so each broken one fails for its defect",
          arguments: AcceptedInput.all)
    func accepted(_ input: AcceptedInput) throws {
        let output = try OutputDirectory()
        defer { output.remove() }

        let result = try GuardedKeel.run(input.resolvedArguments(output: output.url))

        try #require(!result.hung, "hung: killed after \(GuardedKeel.watchdogSeconds) s")
        #expect(result.exitedNormally && result.status == 0, "failed (\(result.status)): \(result.standardError)")
        switch input.expectation {
        case .succeeds:
            break
        case .outputRows(let file, let rows):
            let text = try String(contentsOf: output.url.appendingPathComponent(file), encoding: .utf8)
            #expect(text.split(separator: "\n").count == 1 + rows, "\(file): \(text.prefix(300))")
        case .examples(let count):
            let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            let examples = json?["examples"] as? [String: Int]
            #expect(examples?.values.reduce(0, +) == count, "\(examples ?? [:]) in \(result.standardOutput.prefix(300))")
        }
    }
}

/// A fresh directory for a case's outputs, holding an `existing-output` file and an empty `existing-directory`.
struct OutputDirectory {
    let url: URL

    init() throws {
        url = try KeelExecutable.temporaryDirectory()
        try Data("an earlier output that a failed command must leave alone\n".utf8).write(to: url.appendingPathComponent("existing-output"))
        try FileManager.default.createDirectory(at: url.appendingPathComponent("existing-directory"), withIntermediateDirectories: false)
    }

    /// Every path under the directory with its bytes (a directory's are empty).
    func contents() throws -> [String: Data] {
        var contents: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: url.path) {
            let full = url.appendingPathComponent(path)
            let isDirectory = try full.resourceValues(forKeys: [.isDirectoryKey]).isDirectory ?? false
            contents[path] = isDirectory ? Data() : try Data(contentsOf: full)
        }
        return contents
    }

    static func difference(_ before: [String: Data], _ after: [String: Data]) -> String {
        let added = after.keys.filter { before[$0] == nil }.sorted(), removed = before.keys.filter { after[$0] == nil }.sorted()
        let changed = before.keys.filter { after[$0] != nil && after[$0] != before[$0] }.sorted()
        return "added \(added), removed \(removed), changed \(changed)"
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
