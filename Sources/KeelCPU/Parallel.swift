import Foundation

/// Runs loops over the machine's cores on the shared ``WorkerPool``.
///
/// The thread count is `ProcessInfo.activeProcessorCount`, or `KEEL_NUM_THREADS` when set to
/// a positive integer, read once per process.
enum Parallel {
    /// The number of threads a loop is split over.
    static let threadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["KEEL_NUM_THREADS"],
           let requested = Int(text.trimmingCharacters(in: .whitespaces)), requested > 0 {
            return requested
        }
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body` on contiguous chunks that together cover `0..<count` exactly once.
    ///
    /// The range is split into at most ``threadCount`` chunks of at least `grain` items each, so
    /// work below `2·grain` items runs inline on the calling thread without any dispatch.
    /// - Parameters:
    ///   - count: The number of items.
    ///   - grain: The fewest items worth handing to a thread (the unit of work's cost decides it).
    ///   - body: Processes one chunk; chunks run concurrently and must write disjoint memory.
    static func forEachChunk(of count: Int, grain: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = Swift.min(threadCount, Swift.max(1, count / Swift.max(1, grain)))
        if chunks == 1 {
            body(0..<count)
            return
        }
        parallelFor(chunks) { chunk in
            body(count * chunk / chunks ..< count * (chunk + 1) / chunks)
        }
    }
}

/// A pointer handed to the threads of a ``Parallel`` loop.
///
/// `@unchecked Sendable`: pointers are not `Sendable`, but every loop that captures one gives
/// each thread a disjoint part of the memory to write (reads may overlap), and the memory
/// outlives the loop because the loop is synchronous.
struct SharedPointer<Pointee>: @unchecked Sendable {
    /// The wrapped pointer.
    let base: UnsafeMutablePointer<Pointee>

    init(_ base: UnsafeMutablePointer<Pointee>) { self.base = base }
    init(_ base: UnsafePointer<Pointee>) { self.base = UnsafeMutablePointer(mutating: base) }
}
