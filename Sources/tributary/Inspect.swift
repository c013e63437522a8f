import ATData
import ArgumentParser
import Foundation

/// `tributary inspect cbor|car [FILE|-] [--hex]`: decodes DAG-CBOR or a CAR file to atproto JSON.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode one DAG-CBOR object or a CAR file to atproto JSON.",
        discussion: """
            cbor: prints the object as one JSON line. car: prints the header ({"roots":[…],"version":1}), then one \
            line per block {"cid":…,"value":…} (dag-cbor) or {"cid":…,"bytes":{"$bytes":…}} (other codecs). \
            Invalid input (non-canonical DAG-CBOR, a block whose bytes do not hash to its CID, trailing bytes) \
            prints nothing on stdout, one reason on stderr, and exits with status 1.
            """
    )

    /// What the input holds.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case cbor, car
    }

    @Argument(help: "Input format: cbor or car.")
    var format: Format

    @Argument(help: "Input file, or - for standard input.")
    var file: String = "-"

    @Flag(help: "Read hexadecimal text instead of raw bytes.")
    var hex = false

    /// Largest input read (a full repository export can be large; the CAR reader caps blocks itself).
    static let maxInputBytes = 1 << 30

    func run() throws {
        do throws(InspectFailure) {
            let lines = try decode(try readInput())
            var output = lines.joined(separator: "\n")
            output += "\n"
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch {
            FileHandle.standardError.write(Data("invalid: \(error.reason)\n".utf8))
            throw ExitCode(1)
        }
    }

    func readInput() throws(InspectFailure) -> [UInt8] {
        let handle: FileHandle
        if file == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: file) else {
                throw InspectFailure(reason: "cannot open \(file)")
            }
            handle = opened
        }
        var data = Data()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw InspectFailure(reason: "read error: \(error)")
            }
            if chunk.isEmpty { break }
            data.append(chunk)
            guard data.count <= Self.maxInputBytes else { throw InspectFailure(reason: "input over 1 GiB") }
        }
        if hex {
            guard let decoded = Hex.decode(String(decoding: data, as: UTF8.self)) else {
                throw InspectFailure(reason: "input is not hexadecimal text")
            }
            return decoded
        }
        return [UInt8](data)
    }

    func decode(_ bytes: [UInt8]) throws(InspectFailure) -> [String] {
        let limits = DAGCBORLimits(maxInputBytes: Self.maxInputBytes)
        switch format {
        case .cbor:
            do {
                return [try DAGCBOR.decode(bytes, limits: limits).jsonString]
            } catch {
                throw InspectFailure(reason: "DAG-CBOR: \(error)")
            }
        case .car:
            let car: CARFile
            do {
                car = try CARFile(bytes, limits: .fullRepository)
            } catch {
                throw InspectFailure(reason: "CAR: \(error)")
            }
            let header: DataValue = ["roots": .array(car.roots.map { .link($0) }), "version": 1]
            var lines = [header.jsonString]
            lines.reserveCapacity(car.blocks.count + 1)
            for block in car.blocks {
                let data = Array(car.bytes[block.dataRange])
                var line: DataMap = DataMap()
                line["cid"] = .string(block.cid.string)
                if block.cid.codec == CID.Codec.dagCBOR {
                    do {
                        line["value"] = try DAGCBOR.decode(data, limits: limits)
                    } catch {
                        throw InspectFailure(reason: "block \(block.cid): DAG-CBOR: \(error)")
                    }
                } else {
                    line["bytes"] = .bytes(data)
                }
                lines.append(DataValue.map(line).jsonString)
            }
            return lines
        }
    }
}

/// A one-line reason why the input is invalid.
struct InspectFailure: Error {
    let reason: String
}
