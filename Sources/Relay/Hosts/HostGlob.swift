/// A glob over `hostname[:port]` where `*` matches any run of characters (e.g. `*.host.bsky.network`).
struct HostGlob: Sendable, Hashable {
    let pattern: [UInt8]

    init(_ pattern: String) { self.pattern = Array(pattern.lowercased().utf8) }

    func matches(_ hostname: String) -> Bool {
        let text = Array(hostname.utf8)
        // Iterative wildcard match with single backtrack point (linear in practice, no recursion).
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] != UInt8(ascii: "*"), pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
