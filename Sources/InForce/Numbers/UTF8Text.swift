/// Unicode scalars read forward and backward straight from UTF-8 bytes, for the hot loops that
/// scan page text. Malformed bytes read as U+FFFD one byte at a time, never a trap.
struct UTF8Text {
    let bytes: UnsafeBufferPointer<UInt8>

    var count: Int { bytes.count }

    /// The scalar starting at `index` and its length in bytes; `(0, 0)` at the end.
    @inline(__always)
    func scalar(at index: Int) -> (value: UInt32, length: Int) {
        guard index < bytes.count else { return (0, 0) }
        let b0 = UInt32(bytes[index])
        if b0 < 0x80 { return (b0, 1) }
        func continuation(_ offset: Int) -> UInt32? {
            let position = index + offset
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        if b0 & 0xE0 == 0xC0, let b1 = continuation(1) {
            return ((b0 & 0x1F) << 6 | b1, 2)
        }
        if b0 & 0xF0 == 0xE0, let b1 = continuation(1), let b2 = continuation(2) {
            return ((b0 & 0x0F) << 12 | b1 << 6 | b2, 3)
        }
        if b0 & 0xF8 == 0xF0, let b1 = continuation(1), let b2 = continuation(2), let b3 = continuation(3) {
            return ((b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
        }
        return (0xFFFD, 1)
    }

    /// The scalar that ends just before `index` and where it starts; `(0, index)` at the start.
    @inline(__always)
    func scalar(before index: Int) -> (value: UInt32, start: Int) {
        guard index > 0 else { return (0, index) }
        var start = index - 1
        while start > 0, index - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        let (value, length) = scalar(at: start)
        // A stray continuation byte decodes as one replacement character of its own.
        if start + length != index { return (0xFFFD, index - 1) }
        return (value, start)
    }

    /// How many scalars the bytes in `range` hold.
    func scalarCount(_ range: Range<Int>) -> Int {
        guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
        // Every byte but a continuation byte (10xxxxxx) starts a scalar; count those 8 at a time.
        var continuation = 0
        var index = range.lowerBound
        let raw = UnsafeRawPointer(base)
        while index + 8 <= range.upperBound {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            continuation += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            index += 8
        }
        while index < range.upperBound {
            if base[index] & 0xC0 == 0x80 { continuation += 1 }
            index += 1
        }
        return range.count - continuation
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
