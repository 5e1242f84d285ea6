import KeelCore

extension OpenCLBackend {
    /// Max or average pooling, one work-item per output row (`Kernels/pool.cl`).
    /// - Parameters:
    ///   - descriptor: The kind and geometry.
    ///   - input: An OpenCL buffer holding the `N×C×H×W` input.
    ///   - output: An OpenCL buffer for the `N×C×OH×OW` result, overwritten.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        let (input, output) = (input.as(OpenCLBuffer.self), output.as(OpenCLBuffer.self))
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "pool2d", "\(d)", role: "an input")
        require(output, holds: d.outputShape.elementCount, "pool2d", "\(d)", role: "an output")
        try runtime.launch(try programs.program("pool"), d.kind == .max ? "max_pool" : "average_pool",
                           global: [d.outputHeight, d.batch * d.channels],
                           [d.geometry, .buffer(input), .buffer(output)])
    }

    /// The pooling gradient: each input row gathers the gradients of the windows that reach it,
    /// so no two work-items write the same element and no atomics are needed.
    /// - Parameters:
    ///   - descriptor: The kind and geometry of the forward pass.
    ///   - input: An OpenCL buffer holding the forward pass's `N×C×H×W` input (read for max pooling).
    ///   - outputGradient: An OpenCL buffer holding the `N×C×OH×OW` gradient of the output.
    ///   - inputGradient: An OpenCL buffer for the `N×C×H×W` result, overwritten.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer,
                               inputGradient: any DeviceBuffer) throws {
        let (input, outputGradient) = (input.as(OpenCLBuffer.self), outputGradient.as(OpenCLBuffer.self))
        let inputGradient = inputGradient.as(OpenCLBuffer.self)
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "pool2dBackward", "\(d)", role: "an input")
        require(outputGradient, holds: d.outputShape.elementCount, "pool2dBackward", "\(d)", role: "an output gradient")
        require(inputGradient, holds: d.inputShape.elementCount, "pool2dBackward", "\(d)", role: "an input gradient")
        let program = try programs.program("pool")
        let global = [d.inputHeight, d.batch * d.channels]
        switch d.kind {
        case .max:
            try runtime.launch(program, "max_pool_backward", global: global,
                               [d.geometry, .buffer(input), .buffer(outputGradient), .buffer(inputGradient)])
        case .average:
            try runtime.launch(program, "average_pool_backward", global: global,
                               [d.geometry, .buffer(outputGradient), .buffer(inputGradient)])
        }
    }
}

extension Pooling2D {
    /// The `Geometry` struct of `pool.cl`.
    fileprivate var geometry: KernelArgument {
        .int32s([inputHeight, inputWidth, outputHeight, outputWidth, windowHeight, windowWidth,
                 strideHeight, strideWidth, paddingHeight, paddingWidth])
    }
}
