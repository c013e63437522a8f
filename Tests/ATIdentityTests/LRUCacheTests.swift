import Testing

@testable import ATIdentity

/// The bounded cache evicts the least recently used entry.
@Suite struct LRUCacheTests {
    @Test func evictsLeastRecentlyUsed() {
        var cache = LRUCache<String, Int>(capacity: 3)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(3, for: "c")
        #expect(cache.value(for: "a") == 1)  // a is now the most recent
        cache.set(4, for: "d")  // evicts b
        #expect(cache.count == 3)
        #expect(cache.peek("b") == nil)
        #expect(cache.peek("a") == 1)
        #expect(cache.peek("c") == 3)
        #expect(cache.peek("d") == 4)
        cache.set(5, for: "c")  // update refreshes recency: a is the oldest now
        cache.set(6, for: "e")
        #expect(cache.peek("a") == nil)
        #expect(cache.peek("c") == 5)
        #expect(cache.remove("d") == 4)
        #expect(cache.count == 2)
        cache.set(7, for: "f")
        cache.set(8, for: "g")
        #expect(cache.count == 3)
        #expect(cache.peek("c") == nil)
        #expect(cache.peek("e") == 6 && cache.peek("f") == 7 && cache.peek("g") == 8)
    }

    @Test func manyOperationsStayBounded() {
        var cache = LRUCache<Int, Int>(capacity: 100)
        for index in 0..<10_000 {
            cache.set(index, for: index)
            if index % 3 == 0 { cache.remove(index - 1) }
            #expect(cache.count <= 100)
        }
        // The newest 100 keys that were not removed are present.
        #expect(cache.peek(9_999) == 9_999)
        #expect(cache.peek(0) == nil)
    }
}
