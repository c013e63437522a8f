import ATData
/// A one-line JSON object whose keys stay in the order they were added (tail's output must be stable to diff and
/// to read; a dictionary would reorder it).
struct JSONLine: Sendable, Equatable {
    /// A value in a tail line: only what the event summaries need.
    indirect enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null
        case array([Value])
        case object(JSONLine)

        /// `.string`, or `.null` for nil.
        static func optional(_ text: String?) -> Value { text.map(Value.string) ?? .null }
    }

    private(set) var fields: [(key: String, value: Value)] = []

    /// Appends a field (keys are ours and unique by construction).
    mutating func add(_ key: String, _ value: Value) {
        fields.append((key, value))
    }

    /// The compact JSON text.
    var text: String {
        var output = ""
        append(to: &output)
        return output
    }

    private func append(to output: inout String) {
        output += "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { output += "," }
            Self.appendQuoted(field.key, to: &output)
            output += ":"
            Self.append(field.value, to: &output)
        }
        output += "}"
    }

    private static func append(_ value: Value, to output: inout String) {
        switch value {
        case .string(let text): appendQuoted(text, to: &output)
        case .integer(let number): output += String(number)
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                append(item, to: &output)
            }
            output += "]"
        case .object(let line): line.append(to: &output)
        }
    }

    /// RFC 8259 string quoting; control characters and line separators become `\uXXXX` so one event stays on
    /// one line.
    static func appendQuoted(_ text: String, to output: inout String) {
        JSONText.appendQuoted(text, to: &output, escapingLineSeparators: true)
    }

    static func == (lhs: JSONLine, rhs: JSONLine) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
