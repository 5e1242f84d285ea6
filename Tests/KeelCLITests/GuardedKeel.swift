import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the real `keel` like `KeelExecutable.run`, but under a watchdog and a memory cap, so that a hang or a
/// runaway allocation becomes a reported failure instead of a stalled suite or a swamped machine.
enum GuardedKeel {
    struct Result {
        var status: Int32
        /// Whether the process exited by itself: no trap, no signal, not killed by the watchdog.
        var exitedNormally: Bool
        /// Whether the watchdog killed it.
        var hung: Bool
        var standardOutput: String
        var standardError: String
    }

    /// Not a timing assertion: a case that fails cleanly takes well under a second; this only stops one that never ends.
    static let watchdogSeconds = 120
    /// Enough for every legitimate run; a process that tries to allocate gigabytes dies (a crash) instead of swapping.
    static let memoryLimitKiB = 2 * 1024 * 1024
    /// The cap on the data segment (`ulimit -d`: private writable memory, what allocations use), off under a sanitizer
    /// (`Scripts/sanitize.sh` sets these variables), whose shadow memory is terabytes of it. Address space (`ulimit -v`)
    /// is not capped: it depends on the machine (thread stacks per core, GPU drivers that reserve tens of GiB).
    static let memoryCap = ["ASAN_OPTIONS", "TSAN_OPTIONS"].contains { ProcessInfo.processInfo.environment[$0] != nil }
        ? "" : "ulimit -d \(memoryLimitKiB) && "

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `exec` keeps the process id, so the watchdog kills keel itself and the termination reason is keel's.
        process.arguments = ["-c", memoryCap + "exec \"$0\" \"$@\"", KeelExecutable.url.path] + arguments
        // A crash's backtrace takes a second to print and says nothing the test needs: the signal is enough.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
            .merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let output = PipeDrain(), error = PipeDrain()
        process.standardOutput = output.pipe
        process.standardError = error.pipe
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        output.start()
        error.start()
        let hung = exited.wait(timeout: .now() + .seconds(watchdogSeconds)) == .timedOut
        if hung {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        return Result(status: process.terminationStatus, exitedNormally: !hung && process.terminationReason == .exit, hung: hung,
                      standardOutput: output.text(), standardError: error.text())
    }
}

/// Reads a pipe to its end on another thread, so a child that fills the pipe never blocks.
private final class PipeDrain: @unchecked Sendable {
    let pipe = Pipe()
    private let finished = DispatchGroup()
    /// Written only by the reading thread before it leaves `finished`; read only after waiting for `finished`.
    private var data = Data()

    func start() {
        finished.enter()
        DispatchQueue.global().async {
            self.data = self.pipe.fileHandleForReading.readDataToEndOfFile()
            self.finished.leave()
        }
    }

    func text() -> String {
        finished.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
