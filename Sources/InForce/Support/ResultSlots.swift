/// Fixed slots written once each from parallel loops: every index has one writer, and the slots
/// are read only after the loop has finished.
public final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    private let count: Int

    public init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(1, count))
        storage.initialize(repeating: nil, count: max(1, count))
    }

    public func set(_ index: Int, _ value: Value) {
        precondition(index >= 0 && index < count, "slot \(index) of \(count)")
        storage[index] = value
    }

    public func get(_ index: Int) -> Value? { storage[index] }

    deinit {
        storage.deinitialize(count: max(1, count))
        storage.deallocate()
    }
}
