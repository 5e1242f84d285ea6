import KeelCore

extension Convolution2D {
    /// Input channels per group.
    var groupInputChannels: Int { inputChannels / groups }
    /// Output channels per group.
    var groupOutputChannels: Int { outputChannels / groups }
    /// Rows of a group's im2col matrix: `C/groups · KH · KW`.
    var patchSize: Int { groupInputChannels * kernelHeight * kernelWidth }
    /// Elements of one input channel plane.
    var inputPlane: Int { inputHeight * inputWidth }
    /// Elements of one output channel plane.
    var outputPlane: Int { outputHeight * outputWidth }

    /// A 1×1 kernel with unit stride and no padding: the input planes already are the im2col matrix.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && paddingHeight == 0 && paddingWidth == 0
    }

    /// Whether the direct loops beat im2col + GEMM: fewer than 4 output channels per group (the GEMM
    /// degenerates to matrix-vector products, e.g. depthwise) or at most 2¹⁶ multiply-adds per
    /// image and group (packing and GEMM set-up would dominate).
    var prefersDirectLoops: Bool {
        groupOutputChannels < 4 || groupOutputChannels * patchSize * outputPlane <= 1 << 16
    }

    /// The outputs `o < outputs` whose input coordinate `o·stride + offset` lies in `0..<size`.
    @inline(__always)
    static func validOutputs(offset: Int, stride: Int, size: Int, outputs: Int) -> Range<Int> {
        let lower = offset >= 0 ? 0 : (stride - 1 - offset) / stride
        let upper = size - 1 - offset < 0 ? 0 : Swift.min(outputs, (size - 1 - offset) / stride + 1)
        return lower < upper ? lower..<upper : 0..<0
    }
}
