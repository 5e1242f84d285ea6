import FuzzSupport
import KeelData

/// Fuzzes the safetensors reader: the header (length, JSON, dtypes, shapes, offsets) and the
/// tensor extraction. Every file it accepts must survive a round trip through the writer's
/// encoding bit for bit.
@main
enum FuzzSafeTensors {
    static func main() {
        FuzzTarget.main { bytes in
            guard let file = try? SafeTensors.decode(bytes) else { return }
            let again: SafeTensorsFile
            do {
                again = try SafeTensors.decode(SafeTensors.encode(file))
            } catch {
                preconditionFailure("a decoded safetensors file does not decode after encoding: \(error)")
            }
            precondition(again.metadata == file.metadata && Set(again.tensors.keys) == Set(file.tensors.keys), "names or metadata changed")
            for (name, tensor) in file.tensors {
                let copy = again.tensors[name]!
                precondition(copy.shape == tensor.shape && copy.values.map(\.bitPattern) == tensor.values.map(\.bitPattern),
                             "tensor '\(name)' changed in the round trip")
            }
        }
    }
}
