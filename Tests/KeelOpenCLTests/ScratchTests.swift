import KeelCore
import KeelOpenCL
import Testing
import Foundation
import _KeelTestSupport

@Test func scratchFamilies() throws {
    let families = (ProcessInfo.processInfo.environment["FAMILIES"] ?? "gemm").split(separator: ",").map(String.init)
    let backend = try OpenCLTestDevice.backend()
    print(backend.deviceDescription)
    let report = checkBackend(backend, cases: Conformance.allCases.filter { families.contains($0.family) })
    print(report)
    print((backend as! OpenCLBackend).compilationStatistics)
    #expect(report.passed)
}
