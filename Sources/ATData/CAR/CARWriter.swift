/// Writes CAR v1 files: header `{roots, version: 1}` followed by `varint(len) | CID | data` sections.
public enum CARWriter {
    /// Encodes a CAR with the given roots and blocks (written in the order given).
    public static func encode(roots: [CID], blocks: some Sequence<(cid: CID, data: [UInt8])>) -> [UInt8] {
        var output = header(roots: roots)
        for block in blocks {
            appendBlock(cid: block.cid, data: block.data, to: &output)
        }
        return output
    }

    /// The length-prefixed header section.
    public static func header(roots: [CID]) -> [UInt8] {
        var writer = DAGCBORWriter(capacity: 64)
        writer.writeMapHeader(count: 2)
        writer.writeString("roots")
        writer.writeArrayHeader(count: roots.count)
        for root in roots { writer.writeLink(root) }
        writer.writeString("version")
        writer.writeInteger(1)
        var output = Varint.encode(UInt64(writer.bytes.count))
        output.append(contentsOf: writer.bytes)
        return output
    }

    /// Appends one block section.
    public static func appendBlock(cid: CID, data: some Collection<UInt8>, to output: inout [UInt8]) {
        Varint.encode(UInt64(cid.byteCount + data.count), into: &output)
        cid.withUnsafeBytes { output.append(contentsOf: $0) }
        output.append(contentsOf: data)
    }
}
