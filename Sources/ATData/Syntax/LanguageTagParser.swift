/// Walks the subtags of a language tag through the RFC 5646 `langtag` / `privateuse` grammar.
struct LanguageTagParser {
    /// What a subtag can be, by its length and character classes.
    private enum Shape {
        case extlang, script, region, variant, singleton, privateUseMarker, other
    }

    let bytes: UnsafeRawBufferPointer
    let subtags: [Range<Int>]
    private var position = 0

    init(bytes: UnsafeRawBufferPointer, subtags: [Range<Int>]) {
        self.bytes = bytes
        self.subtags = subtags
    }

    /// Nil if the whole tag parses (and, if `semantic`, repeats no variant or singleton).
    mutating func parse(semantic: Bool) -> SyntaxError? {
        if shape(0) == .privateUseMarker { return privateUse() }
        // Primary language: lowercase letters, 2–3 (optionally followed by extlangs) or 5–8; 4 is reserved.
        let primary = subtags[0]
        guard primary.count >= 2, primary.count != 4, all(primary, ASCII.isLower) else {
            return .invalidSegment(.language, offset: primary.lowerBound)
        }
        position = 1
        if primary.count <= 3 {
            var extlangs = 0
            while extlangs < 3, accept(.extlang) { extlangs += 1 }
        }
        _ = accept(.script)
        _ = accept(.region)
        let firstVariant = position
        while accept(.variant) {}
        if semantic, let duplicate = firstDuplicate(among: Array(firstVariant..<position)) {
            return .duplicateSubtag(offset: subtags[duplicate].lowerBound)
        }
        var singletons: [Int] = []
        while position < subtags.count, shape(position) == .singleton {
            singletons.append(position)
            position += 1
            // Extension values are 2–8 alphanumerics; every subtag longer than one character qualifies.
            let valuesStart = position
            while position < subtags.count, subtags[position].count >= 2 { position += 1 }
            if position == valuesStart { return .invalidSegment(.language, offset: subtags[position - 1].lowerBound) }
        }
        if semantic, let duplicate = firstDuplicate(among: singletons) {
            return .duplicateSubtag(offset: subtags[duplicate].lowerBound)
        }
        if position < subtags.count, shape(position) == .privateUseMarker { return privateUse() }
        if position < subtags.count { return .invalidSegment(.language, offset: subtags[position].lowerBound) }
        return nil
    }

    /// `x` followed by one or more subtags of 1–8 alphanumerics, to the end of the tag.
    private mutating func privateUse() -> SyntaxError? {
        let marker = subtags[position]
        // Every subtag is already 1–8 alphanumerics, so whatever follows the marker is private-use values.
        if position + 1 == subtags.count { return .invalidSegment(.language, offset: marker.lowerBound) }
        position = subtags.count
        return nil
    }

    /// Consumes the current subtag if it has the given shape.
    private mutating func accept(_ wanted: Shape) -> Bool {
        guard position < subtags.count, shape(position) == wanted else { return false }
        position += 1
        return true
    }

    /// Classifies the subtag at `index` by the first grammar rule (after the primary language) it fits.
    private func shape(_ index: Int) -> Shape {
        let range = subtags[index]
        switch range.count {
        case 1:
            return ASCII.lowercased(bytes[range.lowerBound]) == UInt8(ascii: "x") ? .privateUseMarker : .singleton
        case 2:
            return all(range, ASCII.isAlpha) ? .region : .other
        case 3:
            if all(range, ASCII.isAlpha) { return .extlang }
            return all(range, ASCII.isDigit) ? .region : .other
        case 4:
            if ASCII.isDigit(bytes[range.lowerBound]) { return .variant }
            return all(range, ASCII.isAlpha) ? .script : .other
        default:
            return .variant
        }
    }

    private func all(_ range: Range<Int>, _ predicate: (UInt8) -> Bool) -> Bool {
        for index in range where !predicate(bytes[index]) { return false }
        return true
    }

    /// The first subtag among `indices` that case-insensitively repeats an earlier one.
    private func firstDuplicate(among indices: [Int]) -> Int? {
        for (offset, current) in indices.enumerated() {
            for earlier in indices[..<offset] where equalIgnoringCase(subtags[earlier], subtags[current]) {
                return current
            }
        }
        return nil
    }

    private func equalIgnoringCase(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (left, right) in zip(lhs, rhs) where ASCII.lowercased(bytes[left]) != ASCII.lowercased(bytes[right]) {
            return false
        }
        return true
    }
}
