import Foundation
import PackagePlugin

/// Embeds every `Kernels/*.cl` file of the package into the target as Swift string literals,
/// so the OpenCL backend never reads kernel sources from disk at run time.
@main
struct EmbedKernels: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let kernels = context.package.directoryURL.appending(path: "Kernels")
        let sources = try FileManager.default.contentsOfDirectory(at: kernels, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "cl" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedKernels.swift")
        return [.buildCommand(
            displayName: "Embedding \(sources.count) OpenCL kernel files into \(target.name)",
            executable: try context.tool(named: "KeelKernelEmbedder").url,
            arguments: [output.path] + sources.map(\.path),
            inputFiles: sources,
            outputFiles: [output]
        )]
    }
}
