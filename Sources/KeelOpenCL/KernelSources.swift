import Foundation

/// The OpenCL C source of each kernel family (`gemm`, `conv`, …): embedded in the binary at
/// build time from `Kernels/*.cl`, or read from a directory (``OpenCLOptions/kernelDirectory``).
enum KernelSources {
    /// The source of `family` (the kernel file's name without `.cl`).
    /// - Throws: ``OpenCLError/kernelFileUnreadable(path:)`` when `directory` lacks the file.
    static func source(of family: String, in directory: URL?) throws -> String {
        if let directory {
            let path = directory.appending(path: "\(family).cl").path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw OpenCLError.kernelFileUnreadable(path: path)
            }
            return text
        }
        guard let text = EmbeddedKernels.sources[family] else {
            preconditionFailure("Kernels/\(family).cl was not embedded; every kernel family needs a file in Kernels/")
        }
        return text
    }
}
