import Foundation
import PackagePlugin

/// Embeds every `Data/*.gz` file of the package into the target as base64 string literals, so
/// the built-in data sets are inside the binary and nothing is read from disk at run time.
@main
struct EmbedData: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "Data")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "gz" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDataFiles.swift")
        return [.buildCommand(
            displayName: "Embedding \(files.count) data files into \(target.name)",
            executable: try context.tool(named: "KeelDataEmbedder").url,
            arguments: [output.path] + files.map(\.path),
            inputFiles: files,
            outputFiles: [output]
        )]
    }
}
