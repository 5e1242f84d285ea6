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

    /// A cell error at `line` and `column`.
    ///
    /// - Parameters:
    ///   - line: the 1-based line on which the cell's record starts.
    ///   - column: the 1-based column of the cell.
    ///   - reason: what was wrong with the cell, without its position.
    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line L column C: reason`, the form ``DataError/badCells(source:cells:)`` lists cells in.
    public var description: String { "line \(line) column \(column): \(reason)" }
}

/// Errors from reading, decoding and writing data.
///
/// Every loader, reader and writer of KeelData throws only this type. Each case's
/// ``description`` is one line that names the file (or the `source` given to a decoder), says
/// what was wrong and what to do about it, so a command-line tool can print it as it is.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// A file could not be opened or read; `reason` is the system's message or `no such file`.
    case cannotRead(path: String, reason: String)
    /// The path names something other than a file or a pipe; `kind` says what (`a directory`,
    /// `a device`).
    case notAFile(path: String, kind: String)
    /// The file holds no bytes.
    case emptyFile(path: String)
    /// A file, or what it decompresses to, is larger than `limit` bytes, the most a reader takes
    /// (``ReadLimit/bytes`` unless the caller chose a smaller limit); `size` is its size when known.
    case tooLarge(source: String, size: Int?, limit: Int)
    /// A file could not be written; `reason` names the step that failed and the system's
    /// message. Writes are atomic, so an existing file at `path` is untouched and no temporary
    /// file is left behind.
    case cannotWrite(path: String, reason: String)
    /// The bytes from `source` are not a valid file of `format`; `reason` says which part is
    /// wrong (for example a truncated header, a CRC mismatch or an unknown dtype).
    case malformed(source: String, format: DataFormat, reason: String)
    /// Cells of a CSV file are not usable numbers, rows have the wrong number of cells or quotes
    /// are malformed: every bad cell, in file order. The description lists the first five.
    case badCells(source: String, cells: [CSVCellError])
    /// A directory lacks files a loader needs; `expected` names them without the optional `.gz`.
    case missingFiles(directory: String, expected: [String])
    /// Files that belong together do not make a data set: `source` is the one at fault (for
    /// example labels that are not class numbers, or fewer labels than images), `reason` says
    /// what is wrong with it and what to give instead.
    case mismatched(source: String, reason: String)
    /// A table has no column by the name or index asked for; `available` lists the header's names
    /// (or the valid indices when the table has no header).
    case missingColumn(source: String, column: String, available: [String])

    /// How many bad cells a description lists before it summarises the rest.
    static let listedCells = 5

    /// One line: what was wrong, with the file or source named, and what to do.
    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            "cannot read '\(path)': \(reason)"
        case let .notAFile(path, kind):
            "'\(path)' is \(kind), not a file; give the path of a file"
        case let .emptyFile(path):
            "'\(path)' is empty (0 bytes); check that it was written or downloaded completely"
        case let .tooLarge(source, size, limit):
            "'\(source)' is too large: \(size.map { "\($0) bytes" } ?? "more than \(limit) bytes"), where at most \(limit) bytes "
                + "are read (after decompression); use a smaller file"
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
