import Foundation

/// Seed corpora: each target writes its seeds when `TRIBUTARY_FUZZ_SEEDS` names a folder (see Fuzz/fuzz.sh), built
/// from the interop fixtures, the real-network samples and repositories written with `RepoWriter` (the engine the
/// simulator's PDS uses), so the seeds are well-formed inputs the mutations start from.
public enum FuzzSeeds {
    /// Called from `LLVMFuzzerInitialize`: when seeding was requested, writes `make()`'s seeds and exits.
    public static func writeIfRequested(_ make: () throws -> [[UInt8]]) {
        guard let folder = ProcessInfo.processInfo.environment["TRIBUTARY_FUZZ_SEEDS"] else { return }
        do {
            let seeds = try make()
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (index, seed) in seeds.enumerated() {
                let path = "\(folder)/seed-\(String(index + 100_000).dropFirst())"
                try Data(seed).write(to: URL(fileURLWithPath: path))
            }
            print("wrote \(seeds.count) seeds to \(folder)")
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("seed generation failed: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The shared fixtures folder: `TRIBUTARY_SHARED`, else `../shared` next to the repository root.
    public static var sharedFolder: String {
        if let path = ProcessInfo.processInfo.environment["TRIBUTARY_SHARED"] { return path }
        // Fuzz/Support/FuzzSeeds.swift → repository root → its sibling `shared`.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared").path
    }

    /// Reads a file under the shared folder.
    public static func shared(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(sharedFolder)/\(relativePath)")))
    }

    /// Paths (relative to the shared folder) of the files in `folder` whose names end with `suffix`, sorted.
    public static func sharedFiles(in folder: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(sharedFolder)/\(folder)")
            .filter { $0.hasSuffix(suffix) }.sorted().map { "\(folder)/\($0)" }
    }

    /// The non-empty, non-comment lines of an interop syntax fixture.
    public static func fixtureLines(_ relativePath: String) throws -> [String] {
        String(decoding: try shared(relativePath), as: UTF8.self).split(separator: "\n")
            .map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
