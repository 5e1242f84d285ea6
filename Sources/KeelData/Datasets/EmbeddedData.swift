import Foundation

/// The data files embedded in the binary by the EmbedData plugin, decoded on first use.
package enum EmbeddedData {
    /// The decompressed IDX array of the embedded file `name` (for example
    /// `"mnist5k-images-idx3-ubyte.gz"`).
    ///
    /// The files are checked by the tests; one that does not decode means a broken build, so it stops.
    static func idx(_ name: String) -> IDXArray {
        guard let base64 = EmbeddedDataFiles.base64[name], let compressed = Data(base64Encoded: base64) else {
            preconditionFailure("the embedded data file \(name) is missing from this build: rebuild KeelData")
        }
        do {
            return try IDXReader.decode(Gzip.decompress([UInt8](compressed), source: name), source: name)
        } catch {
            preconditionFailure("the embedded data file \(name) does not decode (\(error)): rebuild KeelData")
        }
    }

    package static let mnist5kImages = idx("mnist5k-images-idx3-ubyte.gz")
    package static let mnist5kLabels = idx("mnist5k-labels-idx1-ubyte.gz")
    package static let digits8x8Images = idx("digits8x8-images-idx3-ubyte.gz")
    package static let digits8x8Labels = idx("digits8x8-labels-idx1-ubyte.gz")
}
