import ArgumentParser
import Foundation
import Keel
import KeelOpenCL

/// `keel devices`: every backend and OpenCL device, and what is wrong when OpenCL is not usable.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the backends and OpenCL devices, with the spec that selects each.",
        discussion: "When OpenCL is missing or broken, says what is wrong and which package fixes it.")

    @OptionGroup var output: OutputOptions

    private struct BackendInfo: Encodable {
        var spec: String
        var summary: String
        var priority: Int
    }

    private struct DeviceInfo: Encodable {
        var spec: String
        var platform: String
        var name: String
        var vendor: String
        var type: String
        var computeUnits: Int
        var globalMemoryBytes: Int
        var maxAllocationBytes: Int
        var openCLC: String
        var driver: String
        var fp16: Bool
        var fp64: Bool
    }

    private struct Output: Encodable {
        var backends: [BackendInfo]
        var defaultBackend: String?
        var openCLDevices: [DeviceInfo]
        var openCLProblem: String?
    }

    func run() throws {
        KeelCommand.registerBackends()
        let backends = Backends.registrations.sorted { $0.priority > $1.priority }
            .map { BackendInfo(spec: $0.name, summary: $0.summary, priority: $0.priority) }
        var devices: [DeviceInfo] = []
        var problem: String?
        do {
            devices = try OpenCLDevice.all().map { device in
                DeviceInfo(spec: device.spec, platform: device.platformName, name: device.name, vendor: device.vendor,
                           type: device.kind.rawValue, computeUnits: device.computeUnits, globalMemoryBytes: device.globalMemoryBytes,
                           maxAllocationBytes: device.maxAllocationBytes, openCLC: device.openCLCVersion, driver: device.driverVersion,
                           fp16: device.supportsFP16, fp64: device.supportsFP64)
            }
        } catch {
            problem = "\(error)"
        }
        let chosen = try? Backends.current().name
        if output.json {
            return try printJSON(Output(backends: backends, defaultBackend: chosen, openCLDevices: devices, openCLProblem: problem))
        }
        StandardOutput.print("backends (most preferred first):")
        for backend in backends { StandardOutput.print("  \(backend.spec.padding(toLength: 10, withPad: " ", startingAt: 0)) \(backend.summary)") }
        if let chosen { StandardOutput.print("default: \(chosen) (override with --backend or KEEL_BACKEND)") }
        StandardOutput.print("OpenCL devices:")
        for device in devices {
            let memory = ByteCountFormatter.string(fromByteCount: Int64(device.globalMemoryBytes), countStyle: .memory)
            let allocation = ByteCountFormatter.string(fromByteCount: Int64(device.maxAllocationBytes), countStyle: .memory)
            StandardOutput.print("  \(device.spec)  \(device.name) (\(device.type), \(device.platform), \(device.vendor))")
            StandardOutput.print("      \(device.computeUnits) compute units, \(memory), largest allocation \(allocation), \(device.openCLC), "
                  + "driver \(device.driver), fp16 \(device.fp16 ? "yes" : "no"), fp64 \(device.fp64 ? "yes" : "no")")
        }
        if let problem { StandardOutput.print("  none usable: \(problem)") }
    }
}
