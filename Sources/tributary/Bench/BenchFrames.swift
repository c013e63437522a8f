import ATData
import Firehose
import Foundation

/// Realistic `#commit` frames: the real production commits of the shared data folder (see its SOURCE.md),
/// re-encoded with each event's own seq. The largest sample (a 20 KB outlier) appears once in 16 events, the
/// others equally often, so the mean frame is near the production firehose's few kilobytes.
struct BenchFrames {
    enum Failure: Error, CustomStringConvertible {
        case noSamples(String)
        case badSample(String, String)

        var description: String {
            switch self {
            case .noSamples(let directory): "no firehose_commit_*.json samples in \(directory) (see --realdata)"
            case .badSample(let file, let reason): "\(file): \(reason)"
            }
        }
    }

    let templates: [CommitMessage]
    /// Template index of each event position, cycled.
    let pattern: [Int]

    /// Loads every `firehose_commit_*.json` in `directory`.
    static func load(directory: String) throws -> BenchFrames {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("firehose_commit_") && $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw Failure.noSamples(directory) }
        let header = DAGCBOR.encode(["op": 1, "t": "#commit"])
        var templates: [CommitMessage] = []
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Failure.badSample(file, "unreadable")
            }
            guard case .map(var body) = try DataValue(json: data) else { throw Failure.badSample(file, "not an object") }
            // The samples carry `blobs: null` (a pre-lexicon-fix producer); the lexicon wants an array.
            if body["blobs"] == .null { body["blobs"] = .array([]) }
            guard case .commit(let message) = try FrameDecoder.decode(header + DAGCBOR.encode(.map(body))) else {
                throw Failure.badSample(file, "not a #commit")
            }
            templates.append(message)
        }
        let sizes = templates.map { FrameEncoder.encode($0).count }
        let largest = sizes.indices.max { sizes[$0] < sizes[$1] } ?? 0
        var pattern: [Int] = []
        for index in templates.indices where index != largest || templates.count == 1 {
            pattern += Array(repeating: index, count: templates.count == 1 ? 1 : 15 / (templates.count - 1))
        }
        if templates.count > 1 { pattern.append(largest) }
        return BenchFrames(templates: templates, pattern: pattern)
    }

    /// The frame of the event at `position` (0-based) carrying `seq`.
    func frame(position: Int, seq: UInt64) -> [UInt8] {
        var message = templates[pattern[position % pattern.count]]
        message.seq = Int64(seq)
        return FrameEncoder.encode(message)
    }

    /// The account of the event at `position`.
    func did(position: Int) -> String { templates[pattern[position % pattern.count]].repo }

    /// Mean frame size over one cycle of the pattern.
    var meanFrameBytes: Double {
        let total = pattern.reduce(0) { $0 + FrameEncoder.encode(templates[$1]).count }
        return Double(total) / Double(max(1, pattern.count))
    }
}
