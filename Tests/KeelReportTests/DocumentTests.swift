import Foundation
import KeelReport
import Testing

@Suite("Report document")
struct DocumentTests {
    @Test("Every kind of report is well-formed XHTML with a title, the header facts and the final metrics")
    func wellFormed() throws {
        let multiclass = try Runs.multiclassMLP()
        for report in [try Runs.binaryAnchors(), multiclass.report, try Runs.imageAnchors(), try Runs.regression()] {
            let html = report.html()
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            let document = try XHTMLDocument(html)
            #expect(document.all("title").filter { $0.ancestors == ["html", "head"] }.count == 1)
            #expect(document.all("h1").count == 1)
            #expect(html.contains("2025-11-29 12:00 UTC"))
        }
        let html = multiclass.report.html()
        let accuracy = String(format: "%.2f%%", (multiclass.test.accuracy ?? -1) * 100)
        #expect(html.contains("<div class=\"headline\">\(accuracy)<small>accuracy</small>"), "headline accuracy \(accuracy)")
        #expect(html.contains("<td>mlp</td>") && html.contains("softmax cross-entropy (3 classes)"))
        #expect(html.contains("<th>layer sizes</th><td>[64, 16, 3]</td>"))
        #expect(html.contains("<th>train</th><td>") && html.contains("<th>batch size</th><td>32</td>"))
    }

    @Test("Nothing is loaded from the network: the only URL is the SVG namespace")
    func selfContained() throws {
        for report in [try Runs.binaryAnchors(), try Runs.imageAnchors()] {
            let html = report.html()
            let urls = html.ranges(of: /https?:\/\/[^"\s]*/).map { String(html[$0]) }
            #expect(!urls.isEmpty && Set(urls) == ["http://www.w3.org/2000/svg"], "\(Set(urls))")
            #expect(!html.contains("url(") && !html.contains("@import") && !html.contains("<script") && !html.contains("<link"))
            let sources = try XHTMLDocument(html).all("img").compactMap { $0.attributes["src"] }
            #expect(sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
        }
    }

    @Test("Titles, data set names and class names are escaped")
    func escaping() throws {
        let hostile = "<b>x</b> & \"q\" 'a'"
        let run = try Runs.multiclassMLP(title: hostile, classNames: ["<zero>", "one & two", "\"two\""], datasetName: "<script>alert(1)</script>")
        let html = run.report.html()
        #expect(!html.contains("<b>x</b>") && !html.contains("<script>") && !html.contains("<zero>"))
        #expect(html.contains("&lt;b&gt;x&lt;/b&gt; &amp; &quot;q&quot; &#39;a&#39;"))
        let document = try XHTMLDocument(html)
        #expect(document.all("title").first { $0.ancestors == ["html", "head"] }?.text == hostile)
        #expect(document.all("text", class: "label").map(\.text).contains("one & two"))
        #expect(document.all("td").map(\.text).contains("<script>alert(1)</script>"))
    }
}
