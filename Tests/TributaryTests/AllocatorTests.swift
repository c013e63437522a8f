import Testing

@testable import tributary

/// jemalloc is not only linked but is the allocator Swift's and C's allocations go through.
struct AllocatorTests {
    @Test func jemallocServesTheProcessAllocations() throws {
        #if os(Linux)
        #expect(Allocator.description.hasPrefix("jemalloc "))
        let before = try #require(Allocator.allocatedBytes)
        // 64 MiB through swift_slowAlloc → malloc: jemalloc's own count must grow by about that much.
        let buffer = [UInt8](repeating: 1, count: 64 << 20)
        let during = try #require(Allocator.allocatedBytes)
        #expect(during - before >= 60 << 20)
        #expect(buffer.last == 1)
        #else
        #expect(Allocator.description == "system malloc")
        #endif
    }
}
