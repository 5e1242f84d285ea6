/// A table of numbers read from a CSV file by ``CSVReader``.
public struct CSVTable: Sendable, Equatable {
    /// The column names, if the file has a header row.
    public var header: [String]?
    /// The number of columns.
    public var columnCount: Int
    /// All cells, row-major (`rowCount × columnCount`).
    public var values: [Float]
    /// The 1-based line on which each row starts (blank lines and the header are skipped).
    public var lines: [Int]

    /// The number of data rows.
    public var rowCount: Int { lines.count }

    /// The values of one column, top to bottom.
    ///
    /// - Parameter column: the 0-based column index, in `0..<columnCount`.
    public func column(_ column: Int) -> [Float] {
        (0..<rowCount).map { values[$0 * columnCount + column] }
    }
}

/// The delimiters ``CSVReader`` splits fields on.
public enum CSVDelimiter: UInt8, Sendable, Equatable {
    /// `,` (the default).
    case comma = 0x2C
    /// `;` (common where the decimal separator is a comma; Keel still reads `.` decimals only).
    case semicolon = 0x3B
    /// A tab character.
    case tab = 0x09
}

/// Whether a CSV file's first row names the columns.
public enum CSVHeader: Sendable, Equatable {
    /// A header if no cell of the first row is a number.
    case automatic
    /// The first row is a header.
    case present
    /// Every row is data.
    case absent
}

/// A column of a CSV file.
public enum CSVColumn: Sendable, Equatable {
    /// The column at this 0-based index; negative indices count from the end (−1: the last).
    case index(Int)
    /// The column with this header name.
    case name(String)
}
