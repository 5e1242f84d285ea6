import ArgumentParser
import Keel

/// `--backend`: which backend runs the command.
struct BackendOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The backend: cpu, opencl, opencl:N, opencl:P:D, opencl:<name> or reference (default: KEEL_BACKEND, else the best available).", valueName: "spec"))
    var backend: String?

    /// The chosen backend (registering the built-in ones first).
    func select() throws -> any Backend {
        KeelCommand.registerBackends()
        if let backend { return try Backends.select(backend) }
        return try Backends.current()
    }
}

/// `--json` and `--quiet`: how much goes to standard output, and in which form.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document to standard output instead of text (progress goes nowhere).")
    var json = false

    @Flag(name: .long, help: "Print only the final result.")
    var quiet = false
}
