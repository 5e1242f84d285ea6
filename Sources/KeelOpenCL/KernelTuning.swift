import Foundation

/// Tile sizes and vector widths for one device, passed to the kernels as build options.
///
/// CPU devices (PoCL) run a work-group's items as a loop on one core, so they want large
/// register tiles of 8-wide vectors and small work-groups; GPUs want many small tiles and
/// wide work-groups. The defaults below were measured on PoCL (see `Docs/Benchmarks.md`);
/// `KEEL_OPENCL_GEMM=TM,VW,NV,LX,LY` overrides the GEMM tile for tuning on a new device.
struct KernelTuning: Sendable {
    /// Rows of C per work-item.
    var gemmRows: Int
    /// The float vector width of a B load.
    var gemmVectorWidth: Int
    /// Vectors per row of C per work-item (so `gemmVectorWidth·gemmVectors` columns).
    var gemmVectors: Int
    /// The work-group size over (column panels, row blocks).
    var gemmWorkGroup: (Int, Int)
    /// Work-items per work-group of the element-wise, reduction, optimiser and random kernels.
    var workGroupSize = 64

    /// The work-group size of kernels where each work-item processes a whole row (norms, the
    /// cosine epilogue): small on CPUs so even a few rows spread over every core.
    var rowWorkGroup: Int

    /// Output channels per work-item of the direct convolution (`conv.cl`'s `conv_direct`).
    var directChannels = 6
    /// Vectors of 8 output positions per work-item of the direct convolution.
    var directChunks = 2

    /// The build options of `conv.cl`: the GEMM tile (its packed panels' width) and the direct
    /// convolution's tile.
    var convolutionOptions: [String] { gemmOptions + ["-DDIRECT_CHANNELS=\(directChannels)", "-DDIRECT_CHUNKS=\(directChunks)"] }

    /// The build options of `cosine.cl`: the width of the GEMM panels `pack_anchors` fills.
    var cosineOptions: [String] { ["-DTN=\(gemmColumns)"] }

    /// Columns of C per work-item, and the width of a packed panel of B.
    var gemmColumns: Int { gemmVectorWidth * gemmVectors }

    /// The build options of `gemm.cl` and the kernels that share its tiles.
    var gemmOptions: [String] { ["-DTM=\(gemmRows)", "-DVW=\(gemmVectorWidth)", "-DNV=\(gemmVectors)"] }

    /// - Throws: ``OpenCLError/invalidEnvironment(variable:value:expected:)`` for a malformed override.
    init(for device: OpenCLDevice) throws {
        switch device.kind {
        case .cpu:
            (gemmRows, gemmVectorWidth, gemmVectors, gemmWorkGroup) = (4, 8, 2, (4, 4))
            rowWorkGroup = 4
        case .gpu, .accelerator, .other:
            (gemmRows, gemmVectorWidth, gemmVectors, gemmWorkGroup) = (4, 4, 1, (16, 16))
            rowWorkGroup = 64
        }
        if let override = ProcessInfo.processInfo.environment["KEEL_OPENCL_GEMM"] {
            let fields = override.split(separator: ",", omittingEmptySubsequences: false)
            let tile = fields.compactMap { Int($0) }
            guard fields.count == 5, tile.count == 5, tile.allSatisfy({ $0 > 0 && $0 <= 64 }),
                  [1, 2, 4, 8, 16].contains(tile[1]) else {
                throw OpenCLError.invalidEnvironment(variable: "KEEL_OPENCL_GEMM", value: override,
                                                     expected: "five positive integers TM,VW,NV,LX,LY with VW one of 1, 2, 4, 8, 16 (for example 4,8,2,4,4)")
            }
            (gemmRows, gemmVectorWidth, gemmVectors, gemmWorkGroup) = (tile[0], tile[1], tile[2], (tile[3], tile[4]))
        }
    }
}
