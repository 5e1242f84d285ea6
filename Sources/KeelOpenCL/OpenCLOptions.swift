import Foundation

/// How an ``OpenCLBackend`` compiles, caches and times its kernels.
///
/// The defaults come from the environment, so the same settings reach a backend selected by
/// spec string (`Backends.select("opencl")`):
/// - `KEEL_KERNEL_DIR`: read `<family>.cl` kernel sources from this directory instead of the
///   copies built into the binary (to iterate on kernels without rebuilding Keel);
/// - `KEEL_NO_KERNEL_CACHE=1`: no on-disk program cache (to measure cold starts);
/// - `XDG_CACHE_HOME` / `HOME`: the cache lives in `$XDG_CACHE_HOME/keel/opencl`, else `~/.cache/keel/opencl`;
/// - `KEEL_OPENCL_PROFILE=1`: record per-kernel device time.
///
/// A flag counts as set when it is non-empty and not `0`.
///
/// ```swift
/// let options = OpenCLOptions(programCacheDirectory: nil, profiling: true)   // no disk cache; timed
/// let backend = try OpenCLBackend(device: OpenCLDevice.select(nil), options: options)
/// ```
public struct OpenCLOptions: Sendable, Hashable {
    /// Where compiled program binaries are cached across processes; `nil` turns the disk cache off.
    public var programCacheDirectory: URL?
    /// A directory of `.cl` files that replaces the embedded kernel sources; `nil` uses the embedded ones.
    public var kernelDirectory: URL?
    /// Whether to time every kernel with OpenCL profiling events (see ``OpenCLBackend/takeKernelTimings()``).
    public var profiling: Bool

    /// Creates options; each defaults to what the environment says.
    /// - Parameters:
    ///   - programCacheDirectory: Where to cache program binaries, created when needed; `nil`
    ///     compiles every program from source in each process.
    ///   - kernelDirectory: A directory holding every `Kernels/*.cl` file to use instead of the
    ///     embedded sources; `nil` uses the embedded ones.
    ///   - profiling: Whether to record per-kernel device time (adds an event per launch).
    public init(programCacheDirectory: URL? = OpenCLOptions.environmentCacheDirectory,
                kernelDirectory: URL? = OpenCLOptions.environmentKernelDirectory,
                profiling: Bool = OpenCLOptions.environmentProfiling) {
        self.programCacheDirectory = programCacheDirectory
        self.kernelDirectory = kernelDirectory
        self.profiling = profiling
    }

    /// The cache directory the environment implies (`nil` when `KEEL_NO_KERNEL_CACHE` is set).
    public static var environmentCacheDirectory: URL? {
        let environment = ProcessInfo.processInfo.environment
        if environmentFlag("KEEL_NO_KERNEL_CACHE") { return nil }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appending(path: "keel").appending(path: "opencl")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appending(path: ".cache").appending(path: "keel").appending(path: "opencl")
    }

    /// `KEEL_KERNEL_DIR`, when set and non-empty.
    public static var environmentKernelDirectory: URL? {
        guard let directory = ProcessInfo.processInfo.environment["KEEL_KERNEL_DIR"], !directory.isEmpty else { return nil }
        return URL(fileURLWithPath: directory)
    }

    /// Whether `KEEL_OPENCL_PROFILE` asks for per-kernel timing.
    public static var environmentProfiling: Bool { environmentFlag("KEEL_OPENCL_PROFILE") }

    /// Whether an environment variable is set to something other than empty or `0`.
    static func environmentFlag(_ name: String) -> Bool {
        guard let value = ProcessInfo.processInfo.environment[name] else { return false }
        return !value.isEmpty && value != "0"
    }
}
