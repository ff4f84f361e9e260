import Dispatch

/// Splits `0..<count` into at most `chunks` contiguous ranges, runs `body` on each on every core,
/// and returns the results in the order of the ranges. The one way InForce works on both cores:
/// reading files, proving an index fresh, answering an audit, writing its JSON.
public func inParallel<Result>(_ count: Int, chunks: Int = 16, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
    let parts = max(0, min(count, chunks))
    guard parts > 0 else { return [] }
    let slots = ResultSlots<Result>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        slots.set(part, body(count * part / parts..<count * (part + 1) / parts))
    }
    return (0..<parts).map { slots.get($0)! }
}

/// Fixed slots written once each from parallel loops: every index has one writer, and the slots
/// are read only after the loop has finished.
final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(1, count))
        storage.initialize(repeating: nil, count: max(1, count))
    }

    func set(_ index: Int, _ value: Value) {
        precondition(index >= 0 && index < count, "slot \(index) of \(count)")
        storage[index] = value
    }

    func get(_ index: Int) -> Value? { storage[index] }

    deinit {
        storage.deinitialize(count: max(1, count))
        storage.deallocate()
    }
}
