import Foundation

/// What the label column of a CSV file holds.
public enum CSVTask: Sendable, Equatable {
    /// Whole-number class labels; each distinct label is a class (see ``LabelEncoder``).
    case classification
    /// Real-valued targets.
    case regression
}

extension Dataset {
    /// A data set from a CSV file of numbers: one column is the target, the others the features.
    ///
    /// The features of each row are its other columns in file order (`featureShape` is
    /// `[columns − 1]`); the data set is named after the file, without its extension. See
    /// ``CSVReader`` for the syntax accepted.
    ///
    /// ```swift
    /// let iris = try Dataset.csv(contentsOf: url, target: .name("species"))
    /// ```
    ///
    /// - Parameters:
    ///   - url: the file, plain or gzip-compressed (detected by its content, not its name).
    ///   - target: the target column (default: the last).
    ///   - task: whether the target holds class numbers or real values.
    ///   - delimiter: the field separator.
    ///   - header: whether the first row names the columns.
    /// - Throws: ``DataError`` when the file cannot be read or decompressed, a cell is not a
    ///   finite number (``DataError/badCells(source:cells:)``, every such cell), the target column
    ///   does not exist, or the table has no data rows or no feature columns.
    public static func csv(contentsOf url: URL, target: CSVColumn = .index(-1), task: CSVTask = .classification,
                           delimiter: CSVDelimiter = .comma, header: CSVHeader = .automatic) throws -> Dataset {
        let table = try CSVReader.read(contentsOf: url, delimiter: delimiter, header: header)
        return try Dataset(table, target: target, task: task, name: url.deletingPathExtension().lastPathComponent,
                           source: url.path)
    }

    /// A data set from a parsed CSV table; see ``csv(contentsOf:target:task:delimiter:header:)``.
    ///
    /// With ``CSVTask/classification`` every target must be a whole number of magnitude below
    /// 2²⁴; the distinct labels, in ascending order, are the classes (``Dataset/classLabels``).
    ///
    /// - Parameters:
    ///   - table: the parsed cells.
    ///   - target: the target column; a negative index counts from the end (default: the last).
    ///   - task: whether the target holds class numbers or real values.
    ///   - name: the data set's name, for reports.
    ///   - source: the name used in errors, for example the file name.
    /// - Throws: ``DataError/missingColumn(source:column:available:)`` when `target` names no
    ///   column, ``DataError/malformed(source:format:reason:)`` when the table has no data rows or
    ///   only one column, ``DataError/badCells(source:cells:)`` when a classification target is
    ///   not a whole number.
    public init(_ table: CSVTable, target: CSVColumn = .index(-1), task: CSVTask = .classification,
                name: String = "csv", source: String = "CSV data") throws {
        let columns = table.columnCount
        let targetColumn: Int
        switch target {
        case let .index(index):
            let resolved = index < 0 ? columns + index : index
            guard (0..<columns).contains(resolved) else {
                throw DataError.missingColumn(source: source, column: "\(index)", available: table.header ?? (0..<columns).map(String.init))
            }
            targetColumn = resolved
        case let .name(name):
            guard let index = table.header?.firstIndex(of: name) else {
                throw DataError.missingColumn(source: source, column: name, available: table.header ?? [])
            }
            targetColumn = index
        }
        guard columns > 1, table.rowCount > 0 else {
            throw DataError.malformed(source: source, format: .csv,
                                      reason: columns > 1 ? "it has no data rows" : "it has one column, so no features beside the target")
        }

        var features: [Float] = []
        features.reserveCapacity(table.rowCount * (columns - 1))
        for row in 0..<table.rowCount {
            for column in 0..<columns where column != targetColumn { features.append(table.values[row * columns + column]) }
        }
        let targetValues = table.column(targetColumn)
        guard task == .classification else {
            self.init(name: name, features: features, featureShape: [columns - 1], targets: .values(targetValues, width: 1))
            return
        }
        var problems: [CSVCellError] = []
        for (line, value) in zip(table.lines, targetValues) where !Self.isClassLabel(value) {
            problems.append(CSVCellError(line: line, column: targetColumn + 1,
                                         reason: "label \(value) is not a whole number of magnitude below 2^24, so not a class label (real-valued targets need regression)"))
        }
        guard problems.isEmpty else { throw DataError.badCells(source: source, cells: problems) }
        let labels = targetValues.map { Int($0) }
        self.init(name: name, features: features, featureShape: [columns - 1], labels: labels)
    }

    /// Whether `value` is a whole number of magnitude below 2²⁴ (where Float holds every integer).
    private static func isClassLabel(_ value: Float) -> Bool {
        value.magnitude < 16_777_216 && value == value.rounded()
    }
}
