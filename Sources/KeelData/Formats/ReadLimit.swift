/// The most bytes KeelData's readers take from one file, counted after decompression.
///
/// Readers hold a whole file in memory, so a file larger than this, a size field that promises
/// more, or a small gzip file that would inflate to gigabytes (a compression bomb) is refused
/// with ``DataError/tooLarge(source:size:limit:)`` before memory runs out. The limit is 1 GiB:
/// about twenty times MNIST's 60,000 training images (47 MB), and a data set that size already
/// takes 4 GiB as `Float` features.
public enum ReadLimit {
    /// 1 GiB (2³⁰ bytes).
    public static let bytes = 1 << 30
}
