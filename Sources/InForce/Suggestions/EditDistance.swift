/// Edit distance between two runs of Unicode scalars: insertions, deletions, substitutions and
/// swaps of neighbours (2016 for 2061) each count one (the optimal string alignment distance).
///
/// Holds its rows, so a scan over a hundred thousand keys allocates nothing per key, and stops
/// as soon as every way of aligning the two has passed `limit`.
struct EditDistance {
    private var twoBack: [Int] = []
    private var previous: [Int] = []
    private var current: [Int] = []

    /// The distance from `a` to `b`, or nil when it is more than `limit`.
    mutating func distance(_ a: [UInt32], _ b: [UInt32], limit: Int) -> Int? {
        let (n, m) = (a.count, b.count)
        guard abs(n - m) <= limit else { return nil }
        if n == 0 || m == 0 { return max(n, m) }
        twoBack.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        current.removeAll(keepingCapacity: true)
        twoBack.append(contentsOf: repeatElement(0, count: m + 1))
        previous.append(contentsOf: 0...m)
        current.append(contentsOf: repeatElement(0, count: m + 1))
        for i in 1...n {
            current[0] = i
            var rowMinimum = i
            for j in 1...m {
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, twoBack[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            // A row's smallest value never falls in later rows (a swap costs at least what the
            // diagonal it skips would), so once it passes the limit the answer has too.
            if rowMinimum > limit { return nil }
            swap(&twoBack, &previous)
            swap(&previous, &current)
        }
        return previous[m] <= limit ? previous[m] : nil
    }
}

extension Array where Element == UInt32 {
    /// Replaces the contents with the scalars of well-formed UTF-8 (a malformed byte reads as
    /// U+FFFD), keeping the storage.
    mutating func setScalars(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        removeAll(keepingCapacity: true)
        let text = UTF8Text(bytes: bytes)
        var index = 0
        while index < bytes.count {
            let (value, length) = text.scalar(at: index)
            append(value)
            index += length
        }
    }
}
