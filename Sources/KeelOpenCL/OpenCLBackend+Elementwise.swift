import KeelCore

extension OpenCLBackend {
    /// Gathers the strided view `source`, iterated over `shape`, into contiguous `output`.
    ///
    /// Size-1 axes are dropped and neighbouring axes merged where the strides allow; each
    /// work-item copies 8 elements, by one vector load when they are contiguous. Views of more
    /// axes than the kernel takes run as several launches.
    /// - Parameters:
    ///   - source: A view of an OpenCL buffer, one stride per axis of `shape`; reading outside
    ///     the buffer stops with a precondition failure.
    ///   - output: An OpenCL buffer holding at least `shape.elementCount` elements.
    ///   - shape: The iteration shape.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws {
        let input = requireView(source, shape: shape, "copy", role: "the source")
        let output = output.as(OpenCLBuffer.self)
        require(output, holds: shape.elementCount, "copy", "shape \(shape)", role: "an output")
        guard shape.elementCount > 0 else { return }
        let program = try programs.program("elementwise", options: StridedIteration.options)
        for block in StridedIteration(shape, strides: [source.strides]).blocks {
            let global = [(block.inner + 7) / 8, block.rows]
            try runtime.launch(program, "copy", global: global, local: workGroup(for: global), [
                block.extents, .int(block.rows),
                .buffer(input), .int(source.offset + block.offsets[0]), block.strides[0],
                .buffer(output), .int(block.outputOffset),
            ])
        }
    }

    /// `output[i] = op(input[i])` for `i < count`; `input` and `output` may be the same buffer.
    ///
    /// Each work-item maps 8 elements as a vector (`unary_*` in `elementwise.cl`); `identity` in
    /// place does nothing.
    /// - Parameters:
    ///   - operation: The function (formulas in `UnaryOperation`).
    ///   - input: An OpenCL buffer holding at least `count` elements.
    ///   - output: An OpenCL buffer holding at least `count` elements; may be `input`.
    ///   - count: The number of elements.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        let (input, output) = (input.as(OpenCLBuffer.self), output.as(OpenCLBuffer.self))
        require(input, holds: count, "unary(\(operation))", "count \(count)", role: "an input")
        require(output, holds: count, "unary(\(operation))", "count \(count)", role: "an output")
        guard count > 0, operation != .identity || input !== output else { return }
        let (kernel, a, b) = Self.unaryKernel(operation)
        let program = try programs.program("elementwise", options: StridedIteration.options)
        let items = (count + 7) / 8
        try runtime.launch(program, "unary_\(kernel)", global: [items], local: workGroup(for: [items]), [
            .buffer(input), .buffer(output), .int(count), .float(a), .float(b),
        ])
    }

    /// `output = op(lhs, rhs)` over `shape`, broadcasting through zero strides.
    ///
    /// Axes are merged where both operands allow; each work-item computes 8
    /// elements, loading an operand as a vector when contiguous and a splat when broadcast. `output`
    /// may be an operand's buffer when that operand is read contiguously from offset 0: each
    /// work-item reads its elements before writing them.
    /// - Parameters:
    ///   - operation: The function (formulas in `BinaryOperation`).
    ///   - lhs: The first operand: a view of an OpenCL buffer, one stride per axis of `shape`.
    ///   - rhs: The second operand: a view of an OpenCL buffer, one stride per axis of `shape`.
    ///   - output: An OpenCL buffer holding at least `shape.elementCount` elements.
    ///   - shape: The shape of the result.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView,
                       output: any DeviceBuffer, shape: Shape) throws {
        let left = requireView(lhs, shape: shape, "binary(\(operation))", role: "the left operand")
        let right = requireView(rhs, shape: shape, "binary(\(operation))", role: "the right operand")
        let output = output.as(OpenCLBuffer.self)
        require(output, holds: shape.elementCount, "binary(\(operation))", "shape \(shape)", role: "an output")
        guard shape.elementCount > 0 else { return }
        let program = try programs.program("elementwise", options: StridedIteration.options)
        for block in StridedIteration(shape, strides: [lhs.strides, rhs.strides]).blocks {
            let global = [(block.inner + 7) / 8, block.rows]
            // The kernels are named after the cases: `binary_add`, `binary_subtract`, …
            try runtime.launch(program, "binary_\(operation)", global: global, local: workGroup(for: global), [
                block.extents, .int(block.rows),
                .buffer(left), .int(lhs.offset + block.offsets[0]), block.strides[0],
                .buffer(right), .int(rhs.offset + block.offsets[1]), block.strides[1],
                .buffer(output), .int(block.outputOffset),
            ])
        }
    }

    /// The `unary_*` kernel of `operation` and its parameters `a` and `b`.
    private static func unaryKernel(_ operation: UnaryOperation) -> (name: String, a: Float, b: Float) {
        switch operation {
        case .identity: ("identity", 0, 0)
        case .negate: ("negate", 0, 0)
        case .abs: ("abs", 0, 0)
        case .sign: ("sign", 0, 0)
        case .step: ("step", 0, 0)
        case .exp: ("exp", 0, 0)
        case .log: ("log", 0, 0)
        case .sqrt: ("sqrt", 0, 0)
        case .reciprocal: ("reciprocal", 0, 0)
        case .square: ("square", 0, 0)
        case .sigmoid: ("sigmoid", 0, 0)
        case .tanh: ("tanh", 0, 0)
        case .relu: ("relu", 0, 0)
        case let .leakyReLU(slope): ("leaky_relu", slope, 0)
        case let .elu(alpha): ("elu", alpha, 0)
        case .selu: ("selu", UnaryOperation.seluScale, UnaryOperation.seluAlpha)
        case .softplus: ("softplus", 0, 0)
        case let .clamp(lower, upper): ("clamp", lower, upper)
        case let .affine(scale, shift): ("affine", scale, shift)
        }
    }

    /// Traps unless `view` has one stride per axis of `shape` and every element it reads lies in
    /// its buffer; returns the buffer.
    private func requireView(_ view: StridedView, shape: Shape, _ operation: @autoclosure () -> String, role: String) -> OpenCLBuffer {
        let buffer = view.buffer.as(OpenCLBuffer.self)
        precondition(view.strides.count == shape.rank,
                     "OpenCLBackend.\(operation()): \(role) has \(view.strides.count) strides for shape \(shape)")
        guard shape.elementCount > 0 else { return buffer }
        var (lowest, highest) = (view.offset, view.offset)
        for (extent, stride) in zip(shape.dimensions, view.strides) {
            if stride > 0 { highest += (extent - 1) * stride } else { lowest += (extent - 1) * stride }
        }
        precondition(lowest >= 0, "OpenCLBackend.\(operation()): \(role) (offset \(view.offset), strides \(view.strides)) "
                         + "over shape \(shape) reads element \(lowest)")
        require(buffer, holds: highest + 1, operation(), "\(role) (offset \(view.offset), strides \(view.strides)) over shape \(shape)")
        return buffer
    }
}

/// The iteration of `copy` and `binary` over a shape: size-1 axes dropped and neighbouring axes
/// merged wherever every operand's strides allow, then cut into blocks of the last
/// ``maxRank`` axes (one kernel launch each; the host loops over any axes before them).
struct StridedIteration {
    /// The most axes a kernel takes (`MAX_RANK` in `elementwise.cl`).
    static let maxRank = 6
    /// The build options of `elementwise.cl`.
    static let options = ["-DMAX_RANK=\(maxRank)"]

    /// One launch: its kernel arguments and where its elements start.
    struct Block {
        /// The `Extents` argument: the block's axes, after leading unused axes of extent 1.
        var extents: KernelArgument
        /// Each operand's `Strides` argument (leading unused axes have stride 0).
        var strides: [KernelArgument]
        /// Each operand's offset of the block's first element (to add to the view's offset).
        var offsets: [Int]
        /// The output offset of the block's first element.
        var outputOffset: Int
        /// The innermost extent and the product of the block's other extents.
        var inner: Int
        var rows: Int
    }

    /// The merged extents, outermost first; never empty.
    private var extents: [Int] = []
    /// The merged strides of each operand.
    private var strides: [[Int]]

    init(_ shape: Shape, strides operands: [[Int]]) {
        strides = operands.map { _ in [] }
        for axis in 0..<shape.rank where shape.dimensions[axis] != 1 {
            let extent = shape.dimensions[axis]
            let axisStrides = operands.map { $0[axis] }
            if !extents.isEmpty, strides.indices.allSatisfy({ strides[$0][extents.count - 1] == axisStrides[$0] * extent }) {
                extents[extents.count - 1] *= extent
                for operand in strides.indices { strides[operand][extents.count - 1] = axisStrides[operand] }
            } else {
                extents.append(extent)
                for operand in strides.indices { strides[operand].append(axisStrides[operand]) }
            }
        }
        if extents.isEmpty {
            extents = [1]
            strides = operands.map { _ in [0] }
        }
    }

    /// The launches covering every element once, in output order.
    var blocks: [Block] {
        let leading = Swift.max(0, extents.count - Self.maxRank)
        let blockExtents = Array(extents[leading...])
        let padding = Self.maxRank - blockExtents.count
        let blockElements = blockExtents.reduce(1, *)
        return (0..<extents[..<leading].reduce(1, *)).map { index in
            var offsets = strides.map { _ in 0 }
            var remainder = index
            for axis in stride(from: leading - 1, through: 0, by: -1) {
                for operand in strides.indices { offsets[operand] += remainder % extents[axis] * strides[operand][axis] }
                remainder /= extents[axis]
            }
            return Block(extents: Self.argument([Int](repeating: 1, count: padding) + blockExtents),
                         strides: strides.map { Self.argument([Int](repeating: 0, count: padding) + $0[leading...]) },
                         offsets: offsets, outputOffset: index * blockElements,
                         inner: blockExtents[blockExtents.count - 1], rows: blockElements / blockExtents[blockExtents.count - 1])
        }
    }

    /// A struct of `int`s passed by value.
    private static func argument(_ values: [Int]) -> KernelArgument {
        .bytes(values.map { Int32($0) }.withUnsafeBytes { Array($0) })
    }
}
