/// Errors that end a training run whose data and model fit (those that do not fit are
/// ``ModelError``s).
///
/// Each case's description is one line that says what happened and what to do.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss of a step was NaN or infinite and ``TrainingSettings/nonFiniteLoss`` is
    /// ``NonFiniteLossPolicy/stop``. `epoch` and `step` (the batch within the epoch) count from 1.
    /// The trainer's model, optimiser and history are those of the end of epoch `epoch − 1`.
    case nonFiniteLoss(epoch: Int, step: Int)

    /// A one-line message naming the epoch and step, and the fixes.
    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, step):
            "the training loss was not finite (NaN or infinite) at epoch \(epoch), step \(step); the model is back at the start "
                + "of epoch \(epoch): lower the learning rate, check the data for NaN or infinite values, or skip such steps"
        }
    }
}
