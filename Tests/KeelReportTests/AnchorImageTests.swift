import Foundation
import KeelReport
import Testing

@Suite("Anchor images")
struct AnchorImageTests {
    @Test("Each anchor is a valid PNG (checksums, size) labelled by class and anchor")
    func anchorsOfTheDigitModel() throws {
        let document = try XHTMLDocument(try Runs.imageAnchors().html())
        let images = document.all("img")
        #expect(images.count == 3 * 2)
        #expect(images.map { $0.attributes["alt"] ?? "" }.prefix(3) == ["class 0, anchor 1", "class 0, anchor 2", "class 1, anchor 1"])
        for image in images {
            let png = try DecodedPNG(dataURI: image.attributes["src"] ?? "")
            #expect(png.width == 8 && png.height == 8 && png.pixels.count == 8 * 8 * 3)
        }
    }

    @Test("The colour map is diverging and centred at 0: negative blue, 0 white, the largest magnitude saturated")
    func colours() throws {
        let images = AnchorImages(rows: [[-2, 0, 2, 1]], width: 2, height: 2, anchorsPerClass: 1)
        let report = try Runs.report(anchorImages: images)
        let document = try XHTMLDocument(report.html())
        let image = try #require(document.all("img").first)
        #expect(image.attributes["alt"] == "class 1, anchor 1", "a single group is the binary model's positive class")
        let png = try DecodedPNG(dataURI: image.attributes["src"] ?? "")
        let pixels = stride(from: 0, to: 12, by: 3).map { Array(png.pixels[$0..<$0 + 3]) }
        #expect(pixels[1] == [255, 255, 255])
        #expect(pixels[0][2] > pixels[0][0] && pixels[2][0] > pixels[2][2], "blue then red: \(pixels)")
        #expect(pixels[3][1] > pixels[2][1], "half the magnitude is lighter: \(pixels)")
    }

    @Test("Anchors of non-image data are not drawn; [1, H, W] and square [n] shapes are")
    func imageShapes() throws {
        let model = try Runs.sphereAnchorClassifier()
        #expect(try AnchorImages(model, featureShape: [3]) == nil)
        #expect(try AnchorImages(model, featureShape: [1, 1, 3])?.width == 3)
        #expect(try AnchorImages(model, featureShape: [2, 1, 3]) == nil)
    }

    @Test("The checksums match their standard check values")
    func checksums() {
        #expect(DecodedPNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(DecodedPNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }
}
