import KeelCore
// TEMPORARY: replaced by real kernels before landing.
extension OpenCLBackend {
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws { fatalError("todo") }
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws { fatalError("todo") }
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws { fatalError("todo") }
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws { fatalError("todo") }
}
