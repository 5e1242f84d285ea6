import Foundation

/// Reads CSV files of numbers (RFC 4180 quoting: `"…"`, `""` for a quote inside, delimiters and
/// line breaks allowed inside quotes).
///
/// Blank lines are skipped; spaces and tabs around unquoted cells are ignored; `\n` and `\r\n`
/// line ends and a leading UTF-8 byte-order mark are accepted. Numbers use `.` as the decimal
/// separator; a cell holding a control character (a NUL byte, say) is not a number. Every cell
/// that is not a finite number, and every row with the wrong number of cells, is reported — all
/// of them, by line and column — in one ``DataError/badCells(source:cells:)``.
///
/// ```swift
/// let table = try CSVReader.read(contentsOf: URL(fileURLWithPath: "iris.csv"))
/// let firstColumn = table.column(0)
/// ```
public enum CSVReader {
    /// Reads the CSV file at `url` (gzip-compressed files are decompressed).
    ///
    /// - Parameters:
    ///   - url: the file, plain or gzip-compressed (detected by its magic number).
    ///   - delimiter: the field separator.
    ///   - header: whether the first row names the columns.
    /// - Returns: the table; errors name the file by its path.
    /// - Throws: ``DataError/cannotRead(path:reason:)``, ``DataError/notAFile(path:kind:)``,
    ///   ``DataError/emptyFile(path:)``, ``DataError/tooLarge(source:size:limit:)`` beyond
    ///   ``ReadLimit/bytes`` (after decompression), a gzip ``DataError/malformed(source:format:reason:)``,
    ///   or any error of ``parse(_:source:delimiter:header:)``.
    public static func read(contentsOf url: URL, delimiter: CSVDelimiter = .comma,
                            header: CSVHeader = .automatic) throws -> CSVTable {
        try parse(FileBytes.readDecompressing(url), source: url.path, delimiter: delimiter, header: header)
    }

    /// Parses CSV text.
    ///
    /// Every row must have as many cells as the first. The first row is taken as a header when
    /// `header` says so (with ``CSVHeader/automatic``: when none of its cells is a number).
    ///
    /// - Parameters:
    ///   - text: the file's contents, UTF-8.
    ///   - source: the name used in errors, for example the file name.
    ///   - delimiter: the field separator.
    ///   - header: whether the first row names the columns.
    /// - Returns: the cells as Float, row-major, with the header and each row's line number.
    /// - Throws: ``DataError/badCells(source:cells:)`` listing every cell that is empty or not a
    ///   finite number, every row of the wrong length and every malformed quote;
    ///   ``DataError/malformed(source:format:reason:)`` when the text has no rows.
    public static func parse(_ text: [UInt8], source: String = "CSV data", delimiter: CSVDelimiter = .comma,
                             header: CSVHeader = .automatic) throws -> CSVTable {
        var records = CSVRecords(text, delimiter: delimiter.rawValue)
        var problems: [CSVCellError] = []
        guard let first = records.next(reportingTo: &problems) else {
            if !problems.isEmpty { throw DataError.badCells(source: source, cells: problems) }
            throw DataError.malformed(source: source, format: .csv, reason: "it has no rows")
        }
        let firstIsHeader = switch header {
        case .present: true
        case .absent: false
        case .automatic: first.fields.allSatisfy { number($0) == nil }
        }
        let columnCount = first.fields.count
        var values: [Float] = []
        var lines: [Int] = []

        func append(_ record: CSVRecords.Record) {
            guard record.fields.count == columnCount else {
                problems.append(CSVCellError(line: record.line, column: min(record.fields.count, columnCount) + 1,
                                             reason: "the row has \(record.fields.count) cells, the first row \(columnCount)"))
                return
            }
            for (column, field) in record.fields.enumerated() {
                if let value = number(field) {
                    values.append(value)
                } else {
                    problems.append(CSVCellError(line: record.line, column: column + 1,
                                                 reason: field.isEmpty ? "the cell is empty" : "'\(printable(field))' is not a finite number"))
                    values.append(.nan)
                }
            }
            lines.append(record.line)
        }

        if !firstIsHeader { append(first) }
        while let record = records.next(reportingTo: &problems) { append(record) }
        guard problems.isEmpty else { throw DataError.badCells(source: source, cells: problems) }
        let names = firstIsHeader ? first.fields.map { String(decoding: $0, as: UTF8.self) } : nil
        return CSVTable(header: names, columnCount: columnCount, values: values, lines: lines)
    }

    /// The finite number a cell holds, or nil. Only visible ASCII characters can make a number:
    /// the parser behind `Float(_:)` would stop at a NUL byte and read `1<NUL>2` as 1.
    static func number(_ field: [UInt8]) -> Float? {
        guard !field.isEmpty, field.allSatisfy({ (0x21...0x7E).contains($0) }),
              let value = Float(String(decoding: field, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// The longest cell text an error message quotes.
    static let quotedCellLength = 40

    /// A cell's text for an error message: control characters escaped (`\x00`), invalid UTF-8
    /// replaced, and cut to ``quotedCellLength`` characters, so a binary file makes a readable line.
    static func printable(_ field: [UInt8]) -> String {
        let text = String(decoding: field, as: UTF8.self)
        var escaped = ""
        for scalar in text.unicodeScalars {
            guard escaped.count < quotedCellLength else { return escaped + "…" }
            if scalar.properties.generalCategory == .control {
                escaped += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// Splits CSV bytes into records of unquoted field bytes.
struct CSVRecords {
    struct Record {
        var fields: [[UInt8]]
        /// The 1-based line on which the record starts.
        var line: Int
    }

    private let text: [UInt8]
    private let delimiter: UInt8
    private var position = 0
    private var line = 1

    init(_ text: [UInt8], delimiter: UInt8) {
        // Skip a UTF-8 byte-order mark.
        self.text = text.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(text.dropFirst(3)) : text
        self.delimiter = delimiter
    }

    private static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    private func isSpace(_ byte: UInt8) -> Bool {
        (byte == UInt8(ascii: " ") || byte == 0x09) && byte != delimiter
    }

    /// The next non-blank record, or nil at the end; malformed quoting is added to `problems`.
    mutating func next(reportingTo problems: inout [CSVCellError]) -> Record? {
        while position < text.count {
            let record = readRecord(reportingTo: &problems)
            let isBlank = record.fields.count == 1 && record.fields[0].isEmpty && !record.quoted
            if !isBlank { return Record(fields: record.fields, line: record.line) }
        }
        return nil
    }

    private mutating func readRecord(reportingTo problems: inout [CSVCellError]) -> (fields: [[UInt8]], line: Int, quoted: Bool) {
        let startLine = line
        var fields: [[UInt8]] = []
        var anyQuoted = false
        while true {
            var field: [UInt8] = []
            while position < text.count, isSpace(text[position]) { position += 1 }
            if position < text.count, text[position] == Self.quote {
                anyQuoted = true
                let quoteLine = line
                position += 1
                var closed = false
                while position < text.count {
                    let byte = text[position]
                    position += 1
                    if byte == Self.quote {
                        if position < text.count, text[position] == Self.quote {
                            field.append(Self.quote)
                            position += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if byte == Self.newline { line += 1 }
                        field.append(byte)
                    }
                }
                if !closed {
                    problems.append(CSVCellError(line: quoteLine, column: fields.count + 1, reason: "the quote is never closed"))
                }
                while position < text.count, isSpace(text[position]) { position += 1 }
                if position < text.count, text[position] != delimiter, text[position] != Self.newline,
                   text[position] != Self.carriageReturn {
                    problems.append(CSVCellError(line: line, column: fields.count + 1, reason: "text follows the closing quote"))
                    while position < text.count, text[position] != delimiter, text[position] != Self.newline { position += 1 }
                }
            } else {
                while position < text.count, text[position] != delimiter, text[position] != Self.newline {
                    field.append(text[position])
                    position += 1
                }
                while let last = field.last, isSpace(last) || last == Self.carriageReturn { field.removeLast() }
            }
            fields.append(field)
            if position < text.count, text[position] == delimiter {
                position += 1
                continue
            }
            if position < text.count, text[position] == Self.carriageReturn { position += 1 }
            if position < text.count, text[position] == Self.newline {
                position += 1
                line += 1
            }
            return (fields, startLine, anyQuoted)
        }
    }
}
