/// Parsing of the option values of `keel bench`.
package enum BenchSpecs {
    /// The workload families `--op` accepts.
    package static let knownFamilies: Set = ["gemm", "conv2d", "cosine", "train"]

    /// `--op`: a comma-separated, non-empty list of ``knownFamilies``.
    package static func families(_ text: String) throws -> Set<String> {
        let families = Set(text.split(separator: ",").map(String.init))
        guard families.isSubset(of: knownFamilies), !families.isEmpty else {
            throw CLIError("invalid --op '\(text)': use a comma-separated list of gemm, conv2d, cosine, train")
        }
        return families
    }

    /// `--shape`: a GEMM shape `MxKxN` of positive sizes.
    package static func gemmShape(_ text: String) throws -> (m: Int, k: Int, n: Int) {
        let sizes = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        guard sizes.count == 3, sizes.allSatisfy({ $0 >= 1 }) else {
            throw CLIError("invalid --shape '\(text)': use MxKxN with positive sizes, for example 1024x1024x1024")
        }
        return (sizes[0], sizes[1], sizes[2])
    }
}
