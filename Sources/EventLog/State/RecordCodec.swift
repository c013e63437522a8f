import ATData

/// A small versioned binary codec for state records: a version byte, then fields as
/// `tag (1 byte) · length (varint) · payload`. Integers are 8 bytes big-endian, booleans one byte, strings UTF-8.
/// Readers skip tags they do not know, so later versions can add fields without a migration.
struct RecordWriter {
    static let version: UInt8 = 1
    private(set) var bytes: [UInt8]

    /// `capacity`: the expected record size, so the fields are written into one allocation (a record is written
    /// for every event).
    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(Self.version)
    }

    mutating func bytes(_ tag: UInt8, _ payload: some Collection<UInt8>) {
        bytes.append(tag)
        Varint.encode(UInt64(payload.count), into: &bytes)
        bytes.append(contentsOf: payload)
    }

    mutating func bytes(_ tag: UInt8, buffer payload: UnsafeRawBufferPointer) {
        bytes.append(tag)
        Varint.encode(UInt64(payload.count), into: &bytes)
        bytes.append(contentsOf: payload)
    }

    mutating func string(_ tag: UInt8, _ value: String) {
        var value = value
        value.withUTF8 { bytes(tag, buffer: UnsafeRawBufferPointer($0)) }
    }

    mutating func uint(_ tag: UInt8, _ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes(tag, buffer: $0) }
    }

    mutating func int(_ tag: UInt8, _ value: Int64) { uint(tag, UInt64(bitPattern: value)) }

    mutating func bool(_ tag: UInt8, _ value: Bool) {
        withUnsafeBytes(of: UInt8(value ? 1 : 0)) { bytes(tag, buffer: $0) }
    }
}

/// Reads a record written by ``RecordWriter``, rejecting anything malformed with a clear error.
struct RecordReader {
    /// Records are small; a cap keeps a damaged length from meaning anything large.
    static let maxFields = 64
    private var fields: [UInt8: ArraySlice<UInt8>] = [:]
    private let what: String

    init(_ buffer: UnsafeRawBufferPointer, what: String) throws(EventLogError) {
        self.what = what
        let bytes = [UInt8](buffer)
        guard let version = bytes.first else { throw .corruptRecord("\(what): empty") }
        guard version == RecordWriter.version else { throw .corruptRecord("\(what): unknown record version \(version)") }
        var offset = 1
        while offset < bytes.count {
            guard fields.count < Self.maxFields else { throw .corruptRecord("\(what): too many fields") }
            let tag = bytes[offset]
            offset += 1
            let length: UInt64
            do { length = try Varint.decode(buffer, offset: &offset) } catch { throw .corruptRecord("\(what): bad field length") }
            guard length <= UInt64(bytes.count - offset) else { throw .corruptRecord("\(what): field past the end") }
            guard fields[tag] == nil else { throw .corruptRecord("\(what): duplicate field \(tag)") }
            fields[tag] = bytes[offset..<offset + Int(length)]
            offset += Int(length)
        }
    }

    func bytes(_ tag: UInt8) -> [UInt8]? { fields[tag].map { Array($0) } }

    func string(_ tag: UInt8) throws(EventLogError) -> String? {
        guard let payload = fields[tag] else { return nil }
        guard let text = String(validating: payload, as: UTF8.self) else {
            throw .corruptRecord("\(what): field \(tag) is not UTF-8")
        }
        return text
    }

    func requiredString(_ tag: UInt8) throws(EventLogError) -> String {
        guard let text = try string(tag) else { throw .corruptRecord("\(what): missing field \(tag)") }
        return text
    }

    func uint(_ tag: UInt8) throws(EventLogError) -> UInt64? {
        guard let payload = fields[tag] else { return nil }
        guard payload.count == 8 else { throw .corruptRecord("\(what): field \(tag) is not 8 bytes") }
        return payload.reduce(0) { $0 << 8 | UInt64($1) }
    }

    func int(_ tag: UInt8) throws(EventLogError) -> Int64? { try uint(tag).map { Int64(bitPattern: $0) } }

    func bool(_ tag: UInt8) throws(EventLogError) -> Bool? {
        guard let payload = fields[tag] else { return nil }
        guard payload.count == 1, let byte = payload.first, byte <= 1 else {
            throw .corruptRecord("\(what): field \(tag) is not a boolean")
        }
        return byte == 1
    }
}
