import Foundation

/// The largest models Keel builds.
///
/// ``ModelConfiguration/validate()`` checks every tensor a configuration would allocate against
/// these limits before anything is allocated, so a configuration from a damaged checkpoint or a
/// mistyped width is refused with a reason instead of asking the device for terabytes.
public enum ModelSizeLimits {
    /// The most elements one tensor may hold: 2³¹ − 1.
    ///
    /// Keel's OpenCL kernels index buffers with 32-bit integers, so this is the largest tensor
    /// every built-in backend can hold: a model that validates can be built, saved and loaded on
    /// any of them.
    public static let elementsPerTensor = Int(Int32.max)

    /// The most bytes a model's tensors may take in all: this machine's physical memory.
    ///
    /// Saving and loading a checkpoint pass every value through host memory, whatever the
    /// backend, and training needs more again (gradients, optimiser state), so a larger model can
    /// be neither loaded nor trained here.
    public static var totalBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// Throws ``ModelError/invalidConfiguration(kind:field:reason:)`` for the first tensor larger
    /// than ``elementsPerTensor``, or when all of them together take more than ``totalBytes``.
    static func check(_ tensors: [PlannedTensor], kind: String) throws {
        var total = 0
        for tensor in tensors {
            let (count, overflow) = tensor.dimensions.reduce((1, false)) { product, dimension in
                let (next, overflow) = product.0.multipliedReportingOverflow(by: dimension)
                return (next, product.1 || overflow)
            }
            guard !overflow, count <= elementsPerTensor else {
                let elements = overflow ? "more than \(Int.max)" : String(count)
                throw ModelError.invalidConfiguration(kind: kind, field: tensor.field, reason: "\(tensor.value) gives \(tensor.role) of "
                    + "\(tensor.dimensions.map(String.init).joined(separator: "×")) = \(elements) elements, more than the \(elementsPerTensor) one tensor can hold")
            }
            total += count
        }
        let bytes = total * MemoryLayout<Float>.stride
        guard bytes > totalBytes, let largest = tensors.max(by: { $0.elementCount < $1.elementCount }) else { return }
        throw ModelError.invalidConfiguration(kind: kind, field: largest.field, reason: "\(largest.value) gives \(total) elements in all "
            + "(\(bytes) bytes), more than this machine's \(totalBytes) bytes of memory")
    }
}

/// A tensor a model configuration would allocate, as ``ModelSizeLimits/check(_:kind:)`` sees it.
struct PlannedTensor {
    /// The configuration property that sets its size (`layerSizes`), named in errors.
    var field: String
    /// That property's value as the error shows it.
    var value: String
    /// What the tensor is (`layer 1's weights`).
    var role: String
    /// Its shape; every dimension at least 1 (the configuration checks that first).
    var dimensions: [Int]

    /// The product of ``dimensions`` (checked for overflow before it is used).
    var elementCount: Int { dimensions.reduce(1, *) }
}
