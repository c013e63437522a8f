import ATData

/// Builds realistic record bytes (DAG-CBOR with `$type`, `createdAt`, text of realistic length) from a seeded
/// generator, so repos look and weigh like real Bluesky repos.
struct RecordFactory {
    private static let words = [
        "the", "a", "today", "really", "new", "just", "think", "love", "this", "that", "with", "about", "people",
        "thread", "coffee", "morning", "atproto", "relay", "firehose", "weekend", "photo", "reading", "music",
        "working", "on", "finally", "anyone", "else", "great", "time", "some", "what", "going", "why", "how",
        "build", "shipped", "code", "swift", "garden", "city", "train", "rain", "sunny", "dog", "cat", "book",
        "movie", "game", "night", "week", "year", "idea", "question", "learned", "interesting", "wow", "honestly",
    ]

    /// Post text lengths in characters, weighted toward short posts like the real network.
    static func textLength(using generator: inout SeededGenerator) -> Int {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<4: Int.random(in: 10...60, using: &generator)
        case 4..<8: Int.random(in: 60...180, using: &generator)
        default: Int.random(in: 180...300, using: &generator)
        }
    }

    static func text(length: Int, using generator: inout SeededGenerator) -> String {
        var text = ""
        while text.utf8.count < length {
            if !text.isEmpty { text += " " }
            text += words[Int.random(in: 0..<words.count, using: &generator)]
        }
        return text
    }

    /// The record bytes for `content`; `createdAt` is an atproto datetime, `subjects` supplies DIDs to point at.
    static func bytes(for content: RecordContent, createdAt: String, subjectDID: String,
                      using generator: inout SeededGenerator) -> [UInt8]
    {
        switch content {
        case .custom(_, let bytes):
            return bytes
        case .post(let text):
            let body = text ?? self.text(length: textLength(using: &generator), using: &generator)
            return DAGCBOR.encode(.map(DataMap([
                ("$type", .string(content.collection)), ("text", .string(body)),
                ("langs", .array([.string("en")])), ("createdAt", .string(createdAt)),
            ])))
        case .like:
            let postKey = TID(rawValue: generator.next() >> 1).string
            let subjectCID = CID.compute(of: generator.bytes(32))
            return DAGCBOR.encode(.map(DataMap([
                ("$type", .string(content.collection)),
                ("subject", .map(DataMap([
                    ("uri", .string("at://\(subjectDID)/app.bsky.feed.post/\(postKey)")),
                    ("cid", .string(subjectCID.string)),
                ]))),
                ("createdAt", .string(createdAt)),
            ])))
        case .follow:
            return DAGCBOR.encode(.map(DataMap([
                ("$type", .string(content.collection)), ("subject", .string(subjectDID)),
                ("createdAt", .string(createdAt)),
            ])))
        case .profile:
            let description = self.text(length: Int.random(in: 20...200, using: &generator), using: &generator)
            return DAGCBOR.encode(.map(DataMap([
                ("$type", .string(content.collection)), ("displayName", .string("Sim \(subjectDID.suffix(6))")),
                ("description", .string(description)), ("createdAt", .string(createdAt)),
            ])))
        }
    }
}
