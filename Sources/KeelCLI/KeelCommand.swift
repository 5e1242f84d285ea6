import ArgumentParser
import Foundation
import Keel
import KeelCommandLine
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

    /// Parses the arguments and runs the command. `--help` and `--version` print in full with
    /// status 0; every mistake, the parser's or the command's, and a failed write to standard
    /// output print one line starting `Error:` on standard error and exit with status 1.
    static func main() {
        StandardOutput.prepare()
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(reporting: error, hint: "; see `\(helpCommand(for: arguments))`")
        }
        do {
            try command.run()
            try StandardOutput.finish()
        } catch {
            exit(reporting: error, hint: "")
        }
        Foundation.exit(0)
    }

    /// Prints what `error` asks for (help, the version) and exits with status 0, or prints its
    /// one-line message with `hint` and exits with status 1.
    private static func exit(reporting error: any Error, hint: String) -> Never {
        if exitCode(for: error) == .success {
            let text = fullMessage(for: error)
            if !text.isEmpty { StandardOutput.print(text) }
            do {
                try StandardOutput.finish()
                Foundation.exit(0)
            } catch {
                exit(reporting: error, hint: "")
            }
        }
        var text = message(for: error)
        if !hint.isEmpty && text.hasSuffix(".") { text.removeLast() }
        StandardOutput.writeError(ErrorLine.format(text) + hint + "\n")
        Foundation.exit(1)
    }

    /// `keel SUBCOMMAND --help` for the subcommand the arguments name, else `keel --help`.
    private static func helpCommand(for arguments: [String]) -> String {
        let subcommand = arguments.first.flatMap { name in configuration.subcommands.first { $0.configuration.commandName == name } }
        return subcommand.map { "keel \($0.configuration.commandName ?? "") --help" } ?? "keel --help"
    }
}
