/// The file formats KeelData reads and writes, named in errors.
public enum DataFormat: String, Sendable, Equatable {
    /// Raw DEFLATE (RFC 1951).
    case deflate = "DEFLATE stream"
    /// gzip (RFC 1952).
    case gzip = "gzip file"
    /// MNIST's IDX arrays.
    case idx = "IDX file"
    /// Comma-separated values.
    case csv = "CSV file"
    /// Hugging Face safetensors.
    case safetensors = "safetensors file"
}

/// One cell of a CSV file that could not be used, with its place in the file.
public struct CSVCellError: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line on which the cell's record starts.
    public var line: Int
    /// The 1-based column of the cell.
    public var column: Int
    /// What was wrong, for example `"'abc' is not a number"`.
    public var reason: String

    /// A cell error at `line` and `column` (both 1-based).
    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "line \(line) column \(column): \(reason)" }
}

/// Errors from reading, decoding and writing data.
///
/// Each case's description is one line that says what was wrong and what to do.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// A file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// A file could not be written; nothing was left at `path`.
    case cannotWrite(path: String, reason: String)
    /// The bytes from `source` are not a valid file of `format`.
    case malformed(source: String, format: DataFormat, reason: String)
    /// Cells of a CSV file are not usable numbers (every bad cell, in file order).
    case badCells(source: String, cells: [CSVCellError])
    /// A directory lacks files a loader needs.
    case missingFiles(directory: String, expected: [String])
    /// Two files that belong together do not match (for example images and labels).
    case mismatched(source: String, reason: String)
    /// A table has no column by the name or index asked for.
    case missingColumn(source: String, column: String, available: [String])

    /// How many bad cells a description lists before it summarises the rest.
    static let listedCells = 5

    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            "cannot read '\(path)': \(reason)"
        case let .cannotWrite(path, reason):
            "cannot write '\(path)': \(reason); check the directory exists and is writable"
        case let .malformed(source, format, reason):
            "'\(source)' is not a valid \(format.rawValue): \(reason); the file is damaged or not of this format (fetch it again)"
        case let .badCells(source, cells):
            "'\(source)' has \(cells.count) bad cell\(cells.count == 1 ? "" : "s"): "
                + cells.prefix(Self.listedCells).map(\.description).joined(separator: "; ")
                + (cells.count > Self.listedCells ? "; and \(cells.count - Self.listedCells) more" : "")
                + "; fix or remove those cells"
        case let .missingFiles(directory, expected):
            "'\(directory)' lacks \(expected.joined(separator: ", ")); put those files there (plain or .gz)"
        case let .mismatched(source, reason):
            "'\(source)': \(reason)"
        case let .missingColumn(source, column, available):
            "'\(source)' has no column \(column); choose one of: \(available.joined(separator: ", "))"
        }
    }
}
