import Foundation
import Testing
import KeelData

@Suite struct CSVTests {
    func parse(_ text: String, delimiter: CSVDelimiter = .comma, header: CSVHeader = .automatic) throws -> CSVTable {
        try CSVReader.parse(Array(text.utf8), source: "t.csv", delimiter: delimiter, header: header)
    }

    func badCells(_ text: String, header: CSVHeader = .automatic) -> [CSVCellError] {
        do {
            _ = try parse(text, header: header)
            return []
        } catch let DataError.badCells(_, cells) {
            return cells
        } catch {
            return [CSVCellError(line: 0, column: 0, reason: "unexpected \(error)")]
        }
    }

    @Test func detectsAHeaderAndSkipsBlankLines() throws {
        let table = try parse("x,y,label\r\n\n1,2.5,0\n  \n-3e2 , 4,1\n\n")
        #expect(table.header == ["x", "y", "label"])
        #expect(table.values == [1, 2.5, 0, -300, 4, 1])
        #expect(table.lines == [3, 5] && table.columnCount == 3 && table.rowCount == 2)
    }

    @Test func numericFirstRowIsData() throws {
        let table = try parse("1,2\n3,4")
        #expect(table.header == nil && table.values == [1, 2, 3, 4])
        #expect(try parse("1,2\n3,4", header: .present).header == ["1", "2"])
        #expect(badCells("a,b\n1,2", header: .absent).count == 2)
    }

    @Test func quotedFieldsMayHoldDelimitersQuotesAndNewlines() throws {
        let table = try parse("\"name, with comma\",\"say \"\"hi\"\"\",\"multi\nline\"\n\"1\", 2 ,\"3\"\n4,5,6\n")
        #expect(table.header == ["name, with comma", "say \"hi\"", "multi\nline"])
        #expect(table.values == [1, 2, 3, 4, 5, 6])
        #expect(table.lines == [3, 4])
    }

    @Test func semicolonAndTabDelimiters() throws {
        #expect(try parse("1;2\n3;4", delimiter: .semicolon).values == [1, 2, 3, 4])
        #expect(try parse("a\tb\n1\t2\n", delimiter: .tab).values == [1, 2])
    }

    @Test func everyBadCellIsReportedWithLineAndColumn() {
        let cells = badCells("a,b,c\n1,x,3\n4,,6\n7,8\n9,nan,1e99\n")
        #expect(cells == [
            CSVCellError(line: 2, column: 2, reason: "'x' is not a finite number"),
            CSVCellError(line: 3, column: 2, reason: "the cell is empty"),
            CSVCellError(line: 4, column: 3, reason: "the row has 2 cells, the first row 3"),
            CSVCellError(line: 5, column: 2, reason: "'nan' is not a finite number"),
            CSVCellError(line: 5, column: 3, reason: "'1e99' is not a finite number"),
        ])
    }

    @Test func unclosedQuoteAndTextAfterAQuoteAreReported() {
        #expect(badCells("1,\"2\"x\n").contains { $0.line == 1 && $0.column == 2 && $0.reason.contains("follows the closing quote") })
        #expect(badCells("1,2\n3,\"4\n").contains { $0.line == 2 && $0.column == 2 && $0.reason.contains("never closed") })
    }

    @Test func mixedFirstRowIsDataWithABadCell() {
        #expect(badCells("1,two\n3,4") == [CSVCellError(line: 1, column: 2, reason: "'two' is not a finite number")])
    }

    @Test func errorDescriptionIsOneLineAndSummarisesLongLists() {
        let text = "a,b\n" + (1...8).map { "\($0),bad" }.joined(separator: "\n")
        let error = DataError.badCells(source: "t.csv", cells: badCells(text))
        let message = "\(error)"
        #expect(!message.contains("\n"))
        #expect(message.contains("8 bad cells") && message.contains("line 2 column 2") && message.contains("and 3 more"))
    }

    /// `Float("1\0" + "2")` is 1: the parser stops at the NUL.
    @Test func controlCharactersMakeNoNumber() {
        #expect(badCells("a,b\n1\u{0}2,3\n1,\u{7}4\n") == [
            CSVCellError(line: 2, column: 1, reason: "'1\\x002' is not a finite number"),
            CSVCellError(line: 3, column: 2, reason: "'\\x074' is not a finite number"),
        ])
    }

    @Test func messagesQuoteBinaryCellsEscapedAndShort() {
        let cells = badCells(String(decoding: [0x31, 0x2C, 0x32, 0x0A] + [UInt8](repeating: 0x1B, count: 100) + [0xFF, 0x2C, 0x33], as: UTF8.self))
        let message = "\(DataError.badCells(source: "b.csv", cells: cells))"
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(message.debugDescription)")
        #expect(message.contains("'" + String(repeating: "\\x1b", count: 10) + "…'"), "\(message)")
    }

    @Test func emptyFileThrows() {
        #expect { try parse("\n\n") } throws: { "\($0)".contains("no rows") }
    }

    @Test func labelColumnByIndexNegativeIndexOrName() throws {
        let table = try parse("f1,label,f2\n0.5,1,2\n1.5,0,3\n2.5,2,4\n")
        let byName = try Dataset(table, target: .name("label"))
        let byIndex = try Dataset(table, target: .index(1)), byNegativeIndex = try Dataset(table, target: .index(-2))
        #expect(byName == byIndex && byName == byNegativeIndex)
        #expect(byName.features == [0.5, 2, 1.5, 3, 2.5, 4] && byName.featureShape == [2])
        #expect(byName.labels == [1, 0, 2] && byName.classCount == 3)
        let regression = try Dataset(table, target: .index(-1), task: .regression)
        #expect(regression.targets == .values([2, 3, 4], width: 1) && regression.features == [0.5, 1, 1.5, 0, 2.5, 2])
        #expect { try Dataset(table, target: .name("nope"), source: "t.csv") } throws: {
            $0 as? DataError == .missingColumn(source: "t.csv", column: "nope", available: ["f1", "label", "f2"])
        }
        #expect(throws: DataError.self) { try Dataset(table, target: .index(3)) }
        #expect(throws: DataError.self) { try Dataset(table, target: .index(-4)) }
    }

    @Test func nonIntegerLabelsAreBadCells() throws {
        let table = try parse("x,y\n1,0\n2,1.5\n3,-1\n4,16777216\n5,-16777216\n6,-16777215\n")
        #expect { try Dataset(table, source: "t.csv") } throws: { error in
            guard case let .badCells(_, cells) = error as? DataError else { return false }
            return cells.map(\.line) == [3, 5, 6] && cells.allSatisfy { $0.column == 2 && $0.reason.contains("not a class label") }
        }
    }

    /// Labels are values: each distinct one is a class, in ascending order (scikit-learn's LabelEncoder).
    @Test func distinctLabelsAreTheClasses() throws {
        let sparse = try Dataset(try parse("x,y\n1,250\n2,3\n3,0\n4,250\n5,-1\n"))
        #expect(sparse.classLabels == [-1, 0, 3, 250] && sparse.classCount == 4 && sparse.labels == [3, 2, 1, 3, 0])
        let oneBased = try Dataset(try parse("x,y\n1,1\n2,2\n3,3\n"))
        #expect(oneBased.classLabels == [1, 2, 3] && oneBased.labels == [0, 1, 2], "labels 1, 2, 3 must not make an empty class 0")
        // Renumbered for a model of other classes, a missing class is fine, an unknown one is an error.
        let relabeled = try oneBased.subset([2, 0]).relabeled(as: [0, 1, 2, 3])
        #expect(relabeled.labels == [3, 1] && relabeled.classLabels == [0, 1, 2, 3] && relabeled.classCount == 4)
        #expect { try sparse.relabeled(as: [0, 3, 250]) } throws: { error in
            guard case let .mismatched(_, reason) = error as? DataError else { return false }
            return reason.contains("label -1,") && reason.contains("(0, 3, 250)")
        }
        #expect(sparse.split(testFraction: 0.4, seed: 1).test.classLabels == sparse.classLabels, "the parts keep the classes")
    }

    @Test func readsAGzipCompressedFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let gzip = Fixtures.gzipStored(Array("x,y\n1,0\n".utf8))
        let url = directory.appending(path: "data.csv.gz")
        try Data(gzip).write(to: url)
        let dataset = try Dataset.csv(contentsOf: url)
        #expect(dataset.features == [1] && dataset.labels == [0] && dataset.name == "data.csv")
    }
}
