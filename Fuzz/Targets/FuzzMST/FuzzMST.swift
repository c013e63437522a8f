import ATData
import ATRepo
import FuzzSupport

// MST node decoding and tree operations on full and partial trees (input: a CAR whose first root is the tree root).
// Invariants: a fully loaded tree is canonical (rebuilding it from its entries gives the same root); undoing an
// operation restores the root, on full and partial trees alike (what Sync 1.1 inversion relies on), unless the
// operation reports a missing block.

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: FuzzArguments) -> CInt {
    FuzzSeeds.writeIfRequested { try SampleFrames.mstCARs() }
    return 0
}

let otherValue = CID.compute(of: DAGCBOR.encode(.string("other")))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    guard let car = try? CARFile(bytes, limits: .commitDiff), let root = car.roots.first,
          let tree = try? MST(root: root, blocks: car)
    else { return 0 }
    if let entries = try? tree.entries() {
        let rebuilt = try? MST.build(sortedEntries: entries).rootCID()
        FuzzInput.require(rebuilt == root, "a decoded tree is not the canonical tree of its entries")
    }
    for key in candidateKeys(car).prefix(8) {
        checkUndo(root: root, car: car, key: key)
    }
    return 0
}

/// Removing then re-adding a key (or changing then restoring its value) must give back the root.
func checkUndo(root: CID, car: CARFile, key: [UInt8]) {
    guard let tree = try? MST(root: root, blocks: car) else { return }
    let found: CID?
    do {
        found = try tree.get(key)
    } catch {
        return  // a missing block on the way: nothing to undo
    }
    guard let value = found else {
        // Absent key: insert then delete.
        guard (try? tree.insert(key, value: otherValue)) != nil, (try? tree.delete(key)) != nil else { return }
        FuzzInput.require(tree.rootCID() == root, "insert then delete of an absent key changed the root")
        return
    }
    if (try? tree.delete(key)) != nil, (try? tree.insert(key, value: value)) != nil {
        FuzzInput.require(tree.rootCID() == root, "delete then insert of a key changed the root")
    }
    guard let again = try? MST(root: root, blocks: car) else { return }
    if (try? again.update(key, value: otherValue)) != nil, (try? again.update(key, value: value)) != nil {
        FuzzInput.require(again.rootCID() == root, "update then restore of a key changed the root")
    }
}

/// Keys named in the CAR's node-shaped blocks (rebuilt from their prefix compression), plus neighbours of them.
func candidateKeys(_ car: CARFile) -> [[UInt8]] {
    var keys: [[UInt8]] = []
    for block in car.blocks.prefix(16) {
        guard case .map(let node)? = try? DAGCBOR.decode(Array(car.bytes[block.dataRange])),
              case .array(let entries)? = node["e"]
        else { continue }
        var previous: [UInt8] = []
        for case .map(let entry) in entries.prefix(8) {
            guard case .integer(let prefix)? = entry["p"], case .bytes(let suffix)? = entry["k"],
                  prefix >= 0, prefix <= previous.count
            else { break }
            previous = Array(previous.prefix(Int(prefix))) + suffix
            keys.append(previous)
            keys.append(previous + Array("x".utf8))
        }
    }
    return keys
}

@_cdecl("FuzzMST_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzOneInput)
}
