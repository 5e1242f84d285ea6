import FuzzSupport
import KeelData

/// Fuzzes gzip (RFC 1952) and raw DEFLATE (RFC 1951) decompression on the same bytes.
@main
enum FuzzGzip {
    static func main() {
        FuzzTarget.main { bytes in
            _ = try? Gzip.decompress(bytes)
            _ = try? Inflate.decompress(bytes)
        }
    }
}
