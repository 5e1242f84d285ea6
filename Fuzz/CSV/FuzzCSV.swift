import FuzzSupport
import KeelData

/// Fuzzes the CSV reader and the CSV data set built from its table. The first byte picks the
/// delimiter and header option, the rest is the file; every table accepted must be whole, and
/// its data set (classification and regression) must build or throw.
@main
enum FuzzCSV {
    static let delimiters: [CSVDelimiter] = [.comma, .semicolon, .tab]
    static let headers: [CSVHeader] = [.automatic, .present, .absent]

    static func main() {
        FuzzTarget.main { bytes in
            guard let options = bytes.first else { return }
            let delimiter = delimiters[Int(options) % 3], header = headers[Int(options) / 3 % 3]
            guard let table = try? CSVReader.parse(Array(bytes.dropFirst()), delimiter: delimiter, header: header) else { return }
            precondition(table.values.count == table.rowCount * table.columnCount, "CSV table is not rows × columns")
            precondition(table.values.allSatisfy(\.isFinite), "CSV table holds a non-finite value")
            precondition(zip(table.lines, table.lines.dropFirst()).allSatisfy { $0 < $1 }, "CSV line numbers do not increase")
            precondition(table.header.map { $0.count == table.columnCount } ?? true, "CSV header is not one name per column")
            for column in 0..<table.columnCount { precondition(table.column(column).count == table.rowCount) }
            for task in [CSVTask.classification, .regression] {
                guard let data = try? Dataset(table, task: task) else { continue }
                precondition(data.count == table.rowCount && data.featureShape == [table.columnCount - 1], "CSV data set does not match its table")
            }
        }
    }
}
