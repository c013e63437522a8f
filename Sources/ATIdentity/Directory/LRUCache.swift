/// A fixed-capacity map that evicts the least recently used entry; O(1) per operation.
struct LRUCache<Key: Hashable, Value> {
    /// One slot of the intrusive doubly linked recency list (indices into `nodes`, -1 = none).
    private struct Node {
        var key: Key
        var value: Value?
        var newer: Int
        var older: Int
    }

    /// Most entries held at once.
    let capacity: Int
    private var nodes: [Node] = []
    private var slots: [Key: Int] = [:]
    private var freeSlots: [Int] = []
    private var newest = -1
    private var oldest = -1

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Number of entries.
    var count: Int { slots.count }

    /// The value for `key`, marking it most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        unlink(slot)
        pushNewest(slot)
        return nodes[slot].value
    }

    /// The value for `key` without touching recency.
    func peek(_ key: Key) -> Value? {
        slots[key].flatMap { nodes[$0].value }
    }

    /// Inserts or replaces; evicts the least recently used entry when full.
    mutating func set(_ value: Value, for key: Key) {
        if let slot = slots[key] {
            nodes[slot].value = value
            unlink(slot)
            pushNewest(slot)
            return
        }
        if slots.count >= capacity, oldest >= 0 {
            removeSlot(oldest)
        }
        let node = Node(key: key, value: value, newer: -1, older: -1)
        let slot: Int
        if let reused = freeSlots.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        slots[key] = slot
        pushNewest(slot)
    }

    /// Removes `key` if present.
    @discardableResult
    mutating func remove(_ key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        let value = nodes[slot].value
        removeSlot(slot)
        return value
    }

    private mutating func removeSlot(_ slot: Int) {
        unlink(slot)
        slots[nodes[slot].key] = nil
        nodes[slot].value = nil
        freeSlots.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let newer = nodes[slot].newer
        let older = nodes[slot].older
        if newer >= 0 { nodes[newer].older = older } else { newest = older }
        if older >= 0 { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = -1
        nodes[slot].older = -1
    }

    private mutating func pushNewest(_ slot: Int) {
        nodes[slot].older = newest
        nodes[slot].newer = -1
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}
