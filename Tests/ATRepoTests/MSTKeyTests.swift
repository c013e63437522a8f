import ATData
@testable import ATRepo
import Testing

/// The table-driven key checks and memcmp ordering agree with straightforward definitions.
@Suite struct MSTKeyTests {
    /// The repo-path rule written plainly: two non-empty segments of the allowed characters, no `:` in the
    /// collection, neither segment `.` or `..`.
    static func plainIsValid(_ key: [UInt8]) -> Bool {
        guard !key.isEmpty, key.count <= MSTKey.maxLength else { return false }
        let segments = key.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard segments.count == 2 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~.:".utf8)
        for (index, segment) in segments.enumerated() {
            guard !segment.isEmpty, segment.allSatisfy({ allowed.contains($0) }) else { return false }
            if index == 0 && segment.contains(UInt8(ascii: ":")) { return false }
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) { return false }
        }
        return true
    }

    /// `count` bytes drawn from `alphabet`.
    static func randomBytes(from alphabet: [UInt8], count: Int, using rng: inout SeededRandom) -> [UInt8] {
        (0..<count).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
    }

    @Test func validationMatchesThePlainRuleOnRandomKeys() {
        var rng = SeededRandom(state: 5)
        let alphabet = Array("ab.Z9-_~:/.%é ".utf8)
        var checked = 0
        var valid = 0
        for _ in 0..<50_000 {
            let key = Self.randomBytes(from: alphabet, count: Int.random(in: 0...8, using: &rng), using: &rng)
            let expected = Self.plainIsValid(key)
            #expect(MSTKey.isValid(key) == expected, "\(String(decoding: key, as: UTF8.self))")
            checked += 1
            if expected { valid += 1 }
        }
        #expect(checked == 50_000)
        #expect(valid > 500)  // both outcomes are exercised
        #expect(!MSTKey.isValid([UInt8](repeating: UInt8(ascii: "a"), count: 1_024) + [UInt8(ascii: "/")]))
        #expect(MSTKey.isValid(Array("app.bsky.feed.post/3k2a:b.c".utf8)))
        #expect(!MSTKey.isValid(Array("a/..".utf8)) && !MSTKey.isValid(Array("./b".utf8)))
        #expect(MSTKey.isValid(Array("a/...".utf8)))
    }

    /// The check of a key that shares a valid key's collection (the decoder's shortcut for prefix-compressed keys)
    /// decides as the plain rule does on the whole key.
    @Test func sharedCollectionShortcutMatchesThePlainRule() {
        var rng = SeededRandom(state: 7)
        let alphabet = Array("ab.9-:/.%".utf8)
        var checked = 0
        var valid = 0
        for _ in 0..<50_000 {
            let base = Array("app.b/".utf8)
                + Self.randomBytes(from: alphabet, count: Int.random(in: 0...3, using: &rng), using: &rng)
            guard let slash = base.withUnsafeBufferPointer({ MSTKey.validatedSlash(bytes: $0) }) else { continue }
            let shared = Int.random(in: (slash + 1)...base.count, using: &rng)
            let suffix = Self.randomBytes(from: alphabet, count: Int.random(in: 0...4, using: &rng), using: &rng)
            let key = Array(base[..<shared]) + suffix
            let expected = Self.plainIsValid(key)
            let shortcut = key.withUnsafeBufferPointer {
                MSTKey.validatedSlash(bytes: $0, sharing: shared, withSlashAt: slash)
            }
            #expect((shortcut != nil) == expected, "\(String(decoding: key, as: UTF8.self))")
            if expected { #expect(shortcut == slash) }
            checked += 1
            if expected { valid += 1 }
        }
        #expect(checked > 10_000)
        #expect(valid > 1_000 && valid < checked)
    }

    @Test func orderMatchesLexicographicOrder() {
        var rng = SeededRandom(state: 6)
        var checked = 0
        for _ in 0..<20_000 {
            let left = (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt8.random(in: 97...99, using: &rng) }
            let right = (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt8.random(in: 97...99, using: &rng) }
            #expect(MSTKey.precedes(left, right) == left.lexicographicallyPrecedes(right))
            #expect((MSTKey.compare(left, right) == 0) == (left == right))
            #expect(MSTKey.sharedPrefix(left, right) == MSTKey.commonPrefixLength(left, right))
            checked += 1
        }
        #expect(checked == 20_000)
    }
}
