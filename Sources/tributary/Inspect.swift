import ArgumentParser

/// `tributary inspect cbor|car`: decodes DAG-CBOR or a CAR file to atproto JSON.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decode DAG-CBOR or a CAR file to atproto JSON.")

    func run() throws {}
}
