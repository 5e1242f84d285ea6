import Dispatch
import KeelCore
import Testing

/// `Locked`, the lock behind Keel's shared caches and pools. Under `Scripts/sanitize.sh thread`
/// the first test is also the check that ThreadSanitizer sees the locking: the same test on a
/// contended `Synchronization.Mutex` is reported as a data race on Linux.
@Suite struct LockedTests {
    @Test("Threads updating one Locked value at once lose no update")
    func concurrentUpdates() {
        let counter = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 80_000)
    }

    @Test("An error thrown inside withLock reaches the caller, keeps the change made before it, and releases the lock")
    func throwingBody() {
        let value = Locked(1)
        #expect(throws: CancellationError.self) {
            try value.withLock { value in
                value = 2
                throw CancellationError()
            }
        }
        #expect(value.withLock { $0 } == 2)
    }
}
