import FuzzSupport
import KeelData

/// Fuzzes the IDX reader on plain or gzip-compressed bytes, as `IDXReader.read(contentsOf:)`
/// sees a file: every array it accepts must convert whole, and make an image data set (with
/// zero labels) or the labels of one (of 1×1 black images) — or throw.
@main
enum FuzzIDX {
    /// An unsigned-byte IDX array of zeros.
    static func zeros(_ shape: [Int]) -> IDXArray {
        var header: [UInt8] = [0, 0, 8, UInt8(shape.count)]
        for size in shape { header += withUnsafeBytes(of: UInt32(size).bigEndian) { Array($0) } }
        return try! IDXReader.decode(header + [UInt8](repeating: 0, count: shape.reduce(1, *)))
    }

    static func main() {
        FuzzTarget.main { bytes in
            guard let array = try? IDXReader.decodeFile(bytes, source: "fuzz") else { return }
            let count = array.shape.reduce(1, *)
            precondition(array.count == count && array.floatValues.count == count, "IDX array of shape \(array.shape) does not convert whole")
            precondition(array.integerValues.map { $0.count == count } ?? true, "IDX integers of shape \(array.shape) are not whole")
            precondition(array.bytes.map { $0.count == count } ?? true, "IDX bytes of shape \(array.shape) are not whole")

            guard let examples = array.shape.first, examples <= 1 << 16 else { return }
            let asImages = try? Dataset.images(array, labels: zeros([examples]), name: "fuzz", maximum: 255,
                                               scaling: .unitInterval, layout: .image, sources: ("fuzz", "fuzz"))
            let asLabels = try? Dataset.images(zeros([examples, 1, 1]), labels: array, name: "fuzz", maximum: 255,
                                               scaling: .unitInterval, layout: .flat, sources: ("fuzz", "fuzz"))
            for data in [asImages, asLabels].compactMap({ $0 }) {
                precondition(data.count == examples, "an IDX data set of \(data.count) examples from \(examples)")
            }
        }
    }
}
