import ArgumentParser
import Keel
import KeelOpenCL

/// `keel`: train, evaluate and run Keel's models from the command line.
@main
struct KeelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "Train, evaluate and run machine-learning models on the CPU or an OpenCL device.",
        discussion: """
            The backend is chosen with --backend (cpu, opencl, opencl:N, opencl:P:D, opencl:<name>, \
            reference) or the KEEL_BACKEND environment variable; by default the best available one.
            """,
        version: "0.1.0",
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InspectCommand.self, DevicesCommand.self, BenchCommand.self]
    )

    /// Makes every built-in backend selectable; called once before a command picks one.
    static func registerBackends() {
        Backends.registerBuiltIn()
        Backends.register(OpenCLBackend.registration)
    }
}
