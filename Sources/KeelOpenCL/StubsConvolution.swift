import KeelCore
// TEMPORARY: replaced by real kernels before landing.
extension OpenCLBackend {
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws { fatalError("todo") }
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws { fatalError("todo") }
    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws { fatalError("todo") }
    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws { fatalError("todo") }
    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws { fatalError("todo") }
}
