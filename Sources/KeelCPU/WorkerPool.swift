import Dispatch
import Foundation

/// Runs `body(i)` for every `i` in `0..<count`, concurrently on the calling thread and the
/// workers of `keelWorkerPool`, and returns when all have finished. A single iteration, or a call
/// made while the pool is busy (nested or concurrent use), runs inline on the calling thread.
func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count <= 1 || Parallel.threadCount == 1 {
        for i in 0..<count { body(i) }
        return
    }
    keelWorkerPool.run(count, body)
}

/// Worker threads shared by the CPU kernels (`Parallel.threadCount - 1` of them, started on first use).
let keelWorkerPool = WorkerPool(workers: Parallel.threadCount - 1)

/// A fork-join pool of persistent threads. After a job, workers (and the caller, while waiting
/// for them) spin for a short while before blocking, so back-to-back jobs start in about a
/// microsecond instead of paying a thread wake-up (`DispatchQueue.concurrentPerform` takes tens
/// of microseconds to bring in a second thread, which dominates GEMMs below ~1 ms).
final class WorkerPool: @unchecked Sendable {
    /// How long an idle thread polls for new work before blocking.
    static let spinNanoseconds: UInt64 = 1_000_000

    private let workers: Int
    private let busy = NSLock()
    // State below is guarded by `condition`.
    private let condition = NSCondition()
    private var started = false
    private var generation = 0
    private var job: (@Sendable (Int) -> Void)?
    private var jobCount = 0
    private var nextIndex = 0
    private var unfinished = 0

    init(workers: Int) {
        self.workers = workers
    }

    /// Runs `body(0..<count)` on the caller and the workers; see `parallelFor`.
    func run(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard workers > 0, busy.try() else {
            for i in 0..<count { body(i) }
            return
        }
        defer { busy.unlock() }
        withoutActuallyEscaping(body) { body in
            condition.lock()
            if !started {
                started = true
                for _ in 0..<workers {
                    let thread = Thread { [self] in workerLoop() }
                    thread.qualityOfService = .userInitiated
                    thread.start()
                }
            }
            job = body
            jobCount = count
            nextIndex = 0
            unfinished = count
            generation &+= 1
            condition.broadcast()
            drainJob()
            spinWhile { unfinished > 0 }
            job = nil
            condition.unlock()
        }
    }

    /// Claims and runs iterations of the current job until none is left. Called and returns with
    /// `condition` locked.
    private func drainJob() {
        while nextIndex < jobCount, let body = job {
            let i = nextIndex
            nextIndex += 1
            condition.unlock()
            body(i)
            condition.lock()
            unfinished -= 1
            if unfinished == 0 { condition.broadcast() }
        }
    }

    /// Waits, with `condition` locked, until `predicate` is false: polls for up to
    /// `spinNanoseconds`, then blocks on the condition.
    private func spinWhile(_ predicate: () -> Bool) {
        let start = DispatchTime.now().uptimeNanoseconds
        while predicate() {
            let now = DispatchTime.now().uptimeNanoseconds
            if now - start < Self.spinNanoseconds {
                // Poll about every 0.25 µs with the lock released, so the thread publishing
                // the change rarely finds it held.
                condition.unlock()
                while DispatchTime.now().uptimeNanoseconds - now < 250 {}
                condition.lock()
            } else {
                condition.wait()
            }
        }
    }

    private func workerLoop() {
        condition.lock()
        var seen = generation
        while true {
            spinWhile { generation == seen }
            seen = generation
            drainJob()
        }
    }
}
