/// Mistakes in what the user asked for that the argument parser cannot see (a data set that does
/// not suit the model, a file that is not a checkpoint of the right kind).
package struct CLIError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
