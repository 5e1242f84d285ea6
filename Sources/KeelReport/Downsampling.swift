/// A point of a chart series, in data coordinates.
struct Point: Sendable, Equatable {
    var x: Double
    var y: Double
}

extension Array where Element == Point {
    /// At most `limit` points that keep the series' shape: the points are split into `limit / 2`
    /// runs of consecutive points and each run keeps its lowest and highest point, in order, so
    /// spikes survive (5,000 epochs draw as 1,000 points, not a smeared average).
    func downsampled(to limit: Int) -> [Point] {
        guard count > limit, limit >= 2 else { return self }
        let buckets = limit / 2
        var kept: [Point] = []
        kept.reserveCapacity(buckets * 2)
        for bucket in 0..<buckets {
            let run = self[bucket * count / buckets..<(bucket + 1) * count / buckets]
            guard let low = run.indices.min(by: { self[$0].y < self[$1].y }),
                  let high = run.indices.max(by: { self[$0].y < self[$1].y }) else { continue }
            kept.append(self[Swift.min(low, high)])
            if low != high { kept.append(self[Swift.max(low, high)]) }
        }
        return kept
    }
}
