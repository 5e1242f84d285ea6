import KeelCore
import KeelNN

/// The worst disagreement between a model's analytic parameter gradients and central
/// differences of its loss, both on the reference backend (which stores Doubles).
struct ModelGradientReport: CustomStringConvertible {
    var worstError = 0.0
    var worstParameter = ""
    var worstElement = 0
    var largestNumeric = 0.0
    var checkedElements = 0

    var description: String {
        "worst relative error \(worstError) at \(worstParameter)[\(worstElement)], \(checkedElements) elements, largest gradient \(largestNumeric)"
    }
}

/// Checks the gradient of `objective.loss(model(input), targets) + regularization` with respect
/// to every parameter at up to `elementsPerParameter` evenly spaced elements.
func checkModelGradients(_ model: any Model, input: Tensor, targets: Tensor, seed: UInt64 = 7,
                         elementsPerParameter: Int = 16) throws -> ModelGradientReport {
    let backend = ReferenceBackend.shared
    func loss() throws -> Tensor {
        try model.loss(input, targets: targets, context: ForwardContext(training: true, seed: seed)).loss
    }
    let parameters = model.parameters
    let analytic = try loss().gradients(of: parameters.map(\.tensor))
    var report = ModelGradientReport()
    for (parameter, gradient) in zip(parameters, analytic) {
        var values = backend.downloadDoubles(parameter.tensor.buffer)
        let gradientValues = backend.downloadDoubles(gradient.buffer)
        let stride = Swift.max(1, values.count / elementsPerParameter)
        for element in Swift.stride(from: 0, to: values.count, by: stride) {
            let original = values[element]
            let step = 1e-6 * Swift.max(1, Swift.abs(original))
            values[element] = original + step
            backend.uploadDoubles(values, to: parameter.tensor.buffer)
            let plus = backend.downloadDoubles(try withoutGradients { try loss() }.buffer)[0]
            values[element] = original - step
            backend.uploadDoubles(values, to: parameter.tensor.buffer)
            let minus = backend.downloadDoubles(try withoutGradients { try loss() }.buffer)[0]
            values[element] = original
            backend.uploadDoubles(values, to: parameter.tensor.buffer)
            let numeric = (plus - minus) / (2 * step)
            let error = Swift.abs(gradientValues[element] - numeric) / Swift.max(Swift.abs(gradientValues[element]), Swift.abs(numeric), 1e-4)
            report.largestNumeric = Swift.max(report.largestNumeric, Swift.abs(numeric))
            report.checkedElements += 1
            if !(error <= report.worstError) {
                report.worstError = error.isNaN ? .infinity : error
                report.worstParameter = parameter.name
                report.worstElement = element
            }
        }
    }
    return report
}
