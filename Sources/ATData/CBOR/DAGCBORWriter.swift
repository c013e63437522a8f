/// Writes canonical DAG-CBOR item by item; callers write map keys in canonical order (see `DataMap.canonicalOrder`).
public struct DAGCBORWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates a writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the output but keeps its storage, so a hot path can reuse one writer for many items.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Writes a head in its shortest form.
    @inline(__always)
    public mutating func writeHead(major: UInt8, argument: UInt64) {
        let top = major << 5
        switch argument {
        case 0..<24:
            bytes.append(top | UInt8(argument))
        case 24..<0x100:
            bytes.append(top | 24)
            bytes.append(UInt8(argument))
        case 0x100..<0x1_0000:
            bytes.append(top | 25)
            bytes.append(UInt8(argument >> 8))
            bytes.append(UInt8(truncatingIfNeeded: argument))
        case 0x1_0000..<0x1_0000_0000:
            bytes.append(top | 26)
            for shift in stride(from: 24, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: argument >> UInt64(shift)))
            }
        default:
            bytes.append(top | 27)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: argument >> UInt64(shift)))
            }
        }
    }

    /// Writes a signed integer.
    public mutating func writeInteger(_ value: Int64) {
        if value >= 0 {
            writeHead(major: 0, argument: UInt64(value))
        } else {
            writeHead(major: 1, argument: UInt64(-1 - value))
        }
    }

    /// Writes a boolean.
    public mutating func writeBool(_ value: Bool) { bytes.append(value ? 0xf5 : 0xf4) }

    /// Writes `null`.
    public mutating func writeNull() { bytes.append(0xf6) }

    /// Writes a text string.
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeHead(major: 3, argument: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes a text string from bytes the caller knows to be valid UTF-8.
    public mutating func writeString(utf8: some Collection<UInt8>) {
        writeHead(major: 3, argument: UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Writes a byte string.
    public mutating func writeBytes(_ value: some Collection<UInt8>) {
        writeHead(major: 2, argument: UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a byte string from a buffer (the non-generic form for hot paths in other modules).
    public mutating func writeBytes(buffer value: UnsafeRawBufferPointer) {
        writeHead(major: 2, argument: UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a link from the bytes of a binary CID the caller has already validated (a CID kept in its block).
    public mutating func writeLink(cidBytes: UnsafeRawBufferPointer) {
        bytes.append(0xd8)
        bytes.append(0x2a)
        writeHead(major: 2, argument: UInt64(cidBytes.count + 1))
        bytes.append(0x00)
        bytes.append(contentsOf: cidBytes)
    }

    /// Writes a CID link (tag 42).
    public mutating func writeLink(_ cid: CID) {
        cid.withUnsafeBytes { writeLink(cidBytes: $0) }
    }

    /// Writes a link or `null`.
    public mutating func writeOptionalLink(_ cid: CID?) {
        if let cid { writeLink(cid) } else { writeNull() }
    }

    /// Writes an array head.
    public mutating func writeArrayHeader(count: Int) { writeHead(major: 4, argument: UInt64(count)) }

    /// Writes a map head.
    public mutating func writeMapHeader(count: Int) { writeHead(major: 5, argument: UInt64(count)) }

    /// Appends an already-encoded canonical item verbatim.
    public mutating func writeEncoded(_ item: some Collection<UInt8>) { bytes.append(contentsOf: item) }

    /// Writes any data-model value.
    public mutating func write(_ value: DataValue) {
        switch value {
        case .null: writeNull()
        case .bool(let flag): writeBool(flag)
        case .integer(let number): writeInteger(number)
        case .string(let text): writeString(text)
        case .bytes(let data): writeBytes(data)
        case .link(let cid): writeLink(cid)
        case .array(let items):
            writeArrayHeader(count: items.count)
            for item in items { write(item) }
        case .map(let map):
            writeMapHeader(count: map.count)
            for entry in map.entries {
                writeString(entry.key)
                write(entry.value)
            }
        }
    }
}
