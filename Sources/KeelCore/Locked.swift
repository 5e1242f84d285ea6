import Foundation

/// A value that threads read and change only while holding its lock.
///
/// Used as `Synchronization.Mutex` is (`withLock`), but built on `NSLock`, a pthread mutex,
/// so that ThreadSanitizer sees the locking. On Linux a contended `Mutex` is acquired inside the
/// uninstrumented Synchronization library (a spin, then a priority-inheritance futex the kernel
/// takes for the waiter), which ThreadSanitizer cannot see, so it reported every contended
/// `Mutex` as a data race (Docs/Reliability.md, Sanitizers).
///
/// To guard other properties rather than a value, use an `NSLock`: an empty `Value` (`Void`)
/// sits at the object's address in a debug build, where ThreadSanitizer mistakes reading the
/// object's type for a race with the value.
package final class Locked<Value: ~Copyable>: @unchecked Sendable {
    // @unchecked: `value` is only touched inside `withLock`, under `lock`.
    private let lock = NSLock()
    private var value: Value

    /// Guards `value` from now on.
    package init(_ value: consuming sending Value) {
        self.value = value
    }

    /// Calls `body` with the value while holding the lock, and returns what it returns.
    package func withLock<Result: ~Copyable, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
