/// The feature hashes a model has weights for, and the row of each: the hashes sorted, found through a directory of
/// their top bits.
///
/// A dictionary of 100,000 hashes took 3.2 MB, held for the life of every process. This takes the 0.8 MB of the
/// hashes themselves plus a directory of half a word per hash, and a lookup reads one directory entry and about two
/// hashes. ``NGramFeatures`` hashes are 52 bits and spread evenly, so each directory bucket holds about two.
struct FeatureRows: Sendable {
    /// Row `n` is the feature whose hash is `hashes[n]`, in increasing order.
    private let hashes: [UInt64]
    /// The hashes whose top bits are `b` are `hashes[starts[b]..<starts[b + 1]]`.
    private let starts: [Int32]
    private let shift: UInt64

    enum Invalid: Error, Equatable { case notIncreasing(row: Int), beyondFeatureBits(row: Int) }

    /// The rows of `hashes`, which must be strictly increasing ``NGramFeatures`` hashes (as the trainers write them).
    init(hashes: [UInt64]) throws(Invalid) {
        for row in hashes.indices {
            guard hashes[row] <= NGramFeatures.hashMask else { throw .beyondFeatureBits(row: row) }
            guard row == 0 || hashes[row - 1] < hashes[row] else { throw .notIncreasing(row: row) }
        }
        // About two hashes per bucket: 2^bits buckets for 2^(bits + 1) hashes.
        let bits = max(1, (hashes.count / 2).bitWidth - (hashes.count / 2).leadingZeroBitCount)
        let shift = UInt64(NGramFeatures.hashMask.nonzeroBitCount - bits)
        var starts = [Int32](repeating: 0, count: (1 << bits) + 1)
        var row = 0
        for bucket in 0..<(1 << bits) {
            starts[bucket] = Int32(row)
            while row < hashes.count, Int(hashes[row] >> shift) == bucket { row += 1 }
        }
        starts[1 << bits] = Int32(row)
        self.hashes = hashes
        self.starts = starts
        self.shift = shift
    }

    var count: Int { hashes.count }

    /// The row of `hash`, or nil when the model has no weight for it.
    func row(of hash: UInt64) -> Int? {
        let bucket = Int(truncatingIfNeeded: hash >> shift)
        guard bucket + 1 < starts.count else { return nil }
        var row = Int(starts[bucket])
        let end = Int(starts[bucket + 1])
        while row < end {
            let found = hashes[row]
            if found == hash { return row }
            if found > hash { return nil }
            row += 1
        }
        return nil
    }
}
