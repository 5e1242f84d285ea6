import Foundation

/// A Float32 tensor as stored in a safetensors file: its shape and row-major values.
public struct SafeTensor: Sendable, Equatable {
    /// The size of each dimension, outermost first (`[]` for a scalar).
    public var shape: [Int]
    /// The elements, row-major.
    public var values: [Float]

    /// A tensor from its shape and values.
    ///
    /// - Parameters:
    ///   - shape: the size of each dimension, each non-negative (`[]` for a scalar).
    ///   - values: the elements, row-major; exactly the product of `shape` of them (a precondition).
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }
}

/// The contents of a safetensors file: named tensors and string metadata.
public struct SafeTensorsFile: Sendable, Equatable {
    /// The tensors by name.
    public var tensors: [String: SafeTensor]
    /// The `__metadata__` map of the header.
    public var metadata: [String: String]

    /// A file's contents from its tensors and metadata.
    ///
    /// - Parameters:
    ///   - tensors: the tensors by name; any Unicode name other than `__metadata__`.
    ///   - metadata: free-form string pairs written to the header's `__metadata__`.
    public init(tensors: [String: SafeTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// Reads and writes the safetensors format (Hugging Face), readable by PyTorch, JAX, NumPy and candle.
///
/// Layout: an 8-byte little-endian header length `N`; `N` bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, …, "__metadata__": {…}}`
/// padded with spaces to a multiple of 8; then the tensors' little-endian bytes, back to back,
/// offsets counted from the end of the header. Keel writes `F32`; it reads `F32` and converts
/// `F64`, `I64`, `I32` and `U8` to Float (rounding where Float cannot hold the value).
///
/// ```swift
/// let weights: [Float] = [1, 2, 3, 4, 5, 6]
/// try SafeTensors.write(SafeTensorsFile(tensors: ["w": SafeTensor(shape: [2, 3], values: weights)],
///                                       metadata: ["model": "mlp"]), to: url)
/// let file = try SafeTensors.read(contentsOf: url)   // file.tensors["w"]?.shape == [2, 3]
/// ```
public enum SafeTensors {
    /// The element types Keel reads.
    public enum DType: String, Sendable, CaseIterable {
        /// 32-bit float, read as is (the only type Keel writes).
        case f32 = "F32"
        /// 64-bit float, rounded to Float.
        case f64 = "F64"
        /// 64-bit signed integer, rounded to Float beyond 2^24.
        case i64 = "I64"
        /// 32-bit signed integer, rounded to Float beyond 2^24.
        case i32 = "I32"
        /// Unsigned byte.
        case u8 = "U8"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .u8: 1
            case .f32, .i32: 4
            case .f64, .i64: 8
            }
        }
    }

    /// The types of the safetensors specification Keel does not convert.
    static let unsupportedTypes: Set<String> = ["BOOL", "I8", "I16", "U16", "U32", "U64", "F16", "BF16", "F8_E4M3", "F8_E5M2"]
    /// The largest header accepted (the reference implementation's limit).
    static let maximumHeaderSize = 100_000_000

    // MARK: - Writing

    /// Writes `file` to `url` atomically: a temporary file in the same directory, flushed to
    /// the disk, then renamed; on failure nothing is left behind and an old file stays intact.
    ///
    /// - Parameters:
    ///   - file: the tensors and metadata, stored as ``encode(_:)`` lays them out.
    ///   - url: the destination; its directory must exist.
    /// - Throws: ``DataError/cannotWrite(path:reason:)`` when the temporary file cannot be
    ///   created, written, flushed or renamed into place.
    public static func write(_ file: SafeTensorsFile, to url: URL) throws {
        try AtomicFile.save(encode(file), to: url)
    }

    /// The bytes of `file` in the safetensors format.
    ///
    /// Every tensor is stored as `F32`, in name order, and the header lists the metadata first
    /// with its keys sorted, so equal files encode to identical bytes (the same bytes as
    /// Python's `safetensors` 0.8.0 writes for F32 tensors).
    ///
    /// - Parameter file: the tensors and metadata.
    public static func encode(_ file: SafeTensorsFile) -> [UInt8] {
        let names = file.tensors.keys.sorted()
        var entries: [String] = []
        if !file.metadata.isEmpty {
            let members = file.metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(file.metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(members.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let tensor = file.tensors[name]!
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for name in names {
            for value in file.tensors[name]!.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        }
        return bytes
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    // MARK: - Reading

    /// Reads the safetensors file at `url`, checking every part of it (see ``decode(_:source:)``).
    ///
    /// - Parameter url: the file (not compressed).
    /// - Throws: ``DataError/cannotRead(path:reason:)``, ``DataError/notAFile(path:kind:)``,
    ///   ``DataError/emptyFile(path:)``, ``DataError/tooLarge(source:size:limit:)`` beyond
    ///   ``ReadLimit/bytes``, or ``DataError/malformed(source:format:reason:)`` naming the file and
    ///   the first problem found.
    public static func read(contentsOf url: URL) throws -> SafeTensorsFile {
        try decode(FileBytes.read(url), source: url.path)
    }

    /// Decodes safetensors bytes, checking every part: the header length against the size, the
    /// JSON, each dtype, shape and offsets, that the tensors tile the data exactly (in order,
    /// without gaps or overlaps) and that nothing follows them.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - source: the name used in errors, for example the file name.
    /// - Returns: every tensor, converted to Float, and the metadata.
    /// - Throws: ``DataError/malformed(source:format:reason:)`` naming the first problem: a
    ///   truncated or oversized (over 100 MB) header, invalid UTF-8 or JSON (duplicate keys
    ///   included), a dtype Keel does not read, offsets that do not match the shape, gaps,
    ///   overlaps, or bytes after the last tensor.
    public static func decode(_ bytes: [UInt8], source: String = "safetensors data") throws -> SafeTensorsFile {
        func failure(_ reason: String) -> DataError { .malformed(source: source, format: .safetensors, reason: reason) }
        guard bytes.count >= 8 else { throw failure("\(bytes.count) bytes is shorter than the 8-byte header length") }
        let declared = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declared <= UInt64(bytes.count - 8) else {
            throw failure("the header length \(declared) exceeds the \(bytes.count - 8) bytes after it (truncated?)")
        }
        let headerSize = Int(declared)
        guard headerSize <= maximumHeaderSize else { throw failure("the header of \(headerSize) bytes is over the 100 MB limit") }
        let headerBytes = Array(bytes[8..<8 + headerSize])
        guard headerBytes.first == UInt8(ascii: "{") else { throw failure("the header does not start with '{'") }
        guard Array(String(decoding: headerBytes, as: UTF8.self).utf8) == headerBytes else { throw failure("the header is not valid UTF-8") }
        let header: JSONValue
        do {
            header = try JSONParser.parse(headerBytes)
        } catch {
            throw failure("the header is not valid JSON: \(error.reason)")
        }
        guard case let .object(members) = header else { throw failure("the header is not a JSON object") }

        let dataStart = 8 + headerSize
        let dataSize = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var entries: [(name: String, type: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else { throw failure("__metadata__ is not an object") }
                for (key, value) in pairs {
                    guard case let .string(text) = value else { throw failure("__metadata__ value of '\(key)' is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard case let .object(fields) = value else { throw failure("the entry of tensor '\(name)' is not an object") }
            func field(_ key: String) throws -> JSONValue {
                guard let value = fields.first(where: { $0.key == key })?.value else { throw failure("tensor '\(name)' has no \(key)") }
                return value
            }
            guard case let .string(typeName) = try field("dtype") else { throw failure("tensor '\(name)' has a dtype that is not a string") }
            guard let type = DType(rawValue: typeName) else {
                throw failure(unsupportedTypes.contains(typeName)
                    ? "tensor '\(name)' has dtype \(typeName), which Keel does not read (convert it to F32)"
                    : "tensor '\(name)' has unknown dtype '\(typeName)'")
            }
            guard case let .array(shapeValues) = try field("shape"),
                  case let shape = shapeValues.compactMap(\.nonNegativeInteger), shape.count == shapeValues.count else {
                throw failure("tensor '\(name)' has a shape that is not a list of non-negative integers")
            }
            guard case let .array(offsetValues) = try field("data_offsets"), offsetValues.count == 2,
                  let begin = offsetValues[0].nonNegativeInteger, let end = offsetValues[1].nonNegativeInteger else {
                throw failure("tensor '\(name)' has data_offsets that are not two non-negative integers")
            }
            var byteCount = type.size
            for size in shape {
                let (product, overflow) = byteCount.multipliedReportingOverflow(by: size)
                guard !overflow else { throw failure("tensor '\(name)' has a shape \(shape) too large to address") }
                byteCount = product
            }
            guard begin <= end, end <= dataSize else {
                throw failure("tensor '\(name)' has data_offsets [\(begin), \(end)] outside the \(dataSize) data bytes (truncated?)")
            }
            guard end - begin == byteCount else {
                throw failure("tensor '\(name)' of \(typeName) \(shape) needs \(byteCount) bytes, its data_offsets span \(end - begin)")
            }
            entries.append((name, type, shape, begin, end))
        }

        // The tensors must tile the data: in offset order, each starts where the previous ended.
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for entry in entries {
            guard entry.begin == covered else {
                throw failure(entry.begin < covered
                    ? "tensor '\(entry.name)' overlaps the tensor before it (data_offsets start at \(entry.begin), before \(covered))"
                    : "there is a gap of \(entry.begin - covered) bytes before tensor '\(entry.name)'")
            }
            covered = entry.end
        }
        guard covered == dataSize else {
            throw failure("\(dataSize - covered) bytes follow the last tensor's data (trailing garbage)")
        }

        var tensors: [String: SafeTensor] = [:]
        bytes.withUnsafeBytes { raw in
            for entry in entries {
                let base = raw.baseAddress! + dataStart + entry.begin
                let count = (entry.end - entry.begin) / entry.type.size
                let values: [Float] = switch entry.type {
                case .f32: (0..<count).map { Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
                case .f64: (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
                case .i64: (0..<count).map { Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
                case .i32: (0..<count).map { Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
                case .u8: (0..<count).map { Float(base.load(fromByteOffset: $0, as: UInt8.self)) }
                }
                tensors[entry.name] = SafeTensor(shape: entry.shape, values: values)
            }
        }
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }
}
