import Foundation
#if FUZZING
import CLibFuzzer
#endif

/// The `main` of every fuzz executable.
///
/// Built with `-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING` it hands `body` to libFuzzer,
/// which takes its usual flags (`-runs=N -seed=1 CORPUS…`). Built normally it replays inputs: every
/// file named on the command line, and every file in each directory named, is passed to `body`
/// once, so CI can check that the seed corpus still runs clean.
///
/// `body` must return normally for any input; a trap, a sanitizer report, a leak or a hang is a
/// finding.
package enum FuzzTarget {
    /// The body libFuzzer's C callback calls; set once, before the driver starts.
    nonisolated(unsafe) private static var body: ([UInt8]) -> Void = { _ in }

    /// Runs `body` on libFuzzer's inputs or on the replayed files, then exits.
    package static func main(_ body: @escaping ([UInt8]) -> Void) -> Never {
        Self.body = body
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzTarget.body(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
        #else
        exit(replay(CommandLine.arguments.dropFirst()))
        #endif
    }

    /// Passes each file to `body`; returns the exit status (2 when a path cannot be read).
    private static func replay(_ paths: ArraySlice<String>) -> Int32 {
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE-OR-DIRECTORY…  (replays each input once)\n".utf8))
            return 2
        }
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let files = exists && isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" } : [path]
            for file in files {
                guard let bytes = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read '\(file)'\n".utf8))
                    return 2
                }
                body([UInt8](bytes))
                count += 1
            }
        }
        print("replayed \(count) input\(count == 1 ? "" : "s") without a crash")
        return 0
    }
}
