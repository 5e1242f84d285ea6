import Foundation

/// The learned anchors drawn as images, one row per class.
extension TrainingReport {
    /// The size anchors are drawn at (pixels of the page per pixel of the image, at most).
    private static let anchorDisplaySize = 84

    func anchors() -> Markup {
        guard let images = anchorImages else { return .empty }
        let scale = max(1, Self.anchorDisplaySize / max(images.width, images.height))
        let rows = images.classes.enumerated().map { group, classIndex -> Markup in
            let pictures = (0..<images.anchorsPerClass).map { anchor -> Markup in
                let values = images.rows[group * images.anchorsPerClass + anchor]
                let source = "data:image/png;base64," + Data(Self.png(values, width: images.width, height: images.height)).base64EncodedString()
                let name = "class \(dataset.className(classIndex)), anchor \(anchor + 1)"
                return """
                    <img src="\(source)" width="\(String(images.width * scale))" height="\(String(images.height * scale))" \
                    alt="\(name)" title="\(name)"/>
                    """
            }
            return """
                <div class="anchor-class"><div class="class-name">\(dataset.className(classIndex))</div>\
                <div class="anchor-row">\(pictures)</div></div>
                """
        }
        let binary = images.classes == [1] ? " The binary model’s anchors describe the positive class." : ""
        return """
            <section><h2>Learned anchors</h2><div class="card">\(rows)\
            <div class="colour-key"><span>negative</span><span class="bar"></span><span>positive</span></div>\
            <p class="subtitle">Each anchor drawn as an image, one row per class. Colour is centred at 0 and scaled by \
            the anchor’s largest magnitude: the cosine distance ignores an anchor’s length, so only its pattern matters.\(binary)</p>\
            </div></section>
            """
    }

    /// The anchor as a PNG: diverging colours, 0 white, ±(largest magnitude) saturated.
    static func png(_ values: [Float], width: Int, height: Int) -> [UInt8] {
        let peak = values.reduce(Float(0)) { $1.isFinite ? max($0, abs($1)) : $0 }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(values.count * 3)
        for value in values {
            let colour = ColourMap.diverging(peak > 0 ? Double(value / peak) : 0)
            pixels += [colour.red, colour.green, colour.blue]
        }
        return PNG.encode(width: width, height: height, pixels: pixels)
    }
}
