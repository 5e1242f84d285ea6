import Foundation

/// The OpenCL C source of each kernel family (`gemm`, `conv`, …): embedded in the binary at
/// build time from `Kernels/*.cl`, or read from `KEEL_KERNEL_DIR` when that is set, so kernels
/// can be edited and re-run without rebuilding Keel.
enum KernelSources {
    /// The source of `family` (the kernel file's name without `.cl`).
    /// - Throws: ``OpenCLError/kernelFileUnreadable(path:)`` when `KEEL_KERNEL_DIR` lacks the file.
    static func source(of family: String) throws -> String {
        if let directory = overrideDirectory {
            let path = URL(fileURLWithPath: directory).appending(path: "\(family).cl").path
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

    /// `KEEL_KERNEL_DIR`, when set and non-empty.
    static var overrideDirectory: String? {
        guard let directory = ProcessInfo.processInfo.environment["KEEL_KERNEL_DIR"], !directory.isEmpty else { return nil }
        return directory
    }
}
