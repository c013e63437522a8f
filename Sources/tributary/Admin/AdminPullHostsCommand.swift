import ArgumentParser
import Foundation
import RelayHTTP

/// `tributary admin pull-hosts URL`: copies another relay's host list (its `com.atproto.sync.listHosts`) into this
/// relay through the admin API.
struct AdminPullHostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull-hosts",
        abstract: "Add every host another relay lists (com.atproto.sync.listHosts) through the admin API.",
        discussion: """
            Hosts the source lists as banned are skipped. Hosts this relay refuses (bad name, private address, \
            banned here) are reported and the import goes on; exit status 1 only if the source cannot be read or \
            the admin API refuses the token or is unreachable.
            """)
    @OptionGroup var options: AdminOptions
    @Argument(help: "The source relay's base URL, e.g. https://relay1.us-east.bsky.network")
    var source: String
    @Option(help: "Hosts asked per listHosts page (1…1000).") var pageSize = 500
    @Option(help: "Most listHosts pages read.") var maxPages = 200
    @Option(help: "Most hosts read.") var maxHosts = 50_000
    @Option(help: "Hosts added concurrently.") var concurrency = 4

    /// `--json` output.
    struct Summary: Encodable {
        var pages: Int
        var listed: Int
        var truncated: Bool
        var added: [String]
        var skipped: [String]
        var failed: [[String: String]]
    }

    func run() async throws {
        let importer = HostListImporter(limits: .init(pageSize: pageSize, maxPages: maxPages, maxHosts: maxHosts,
                                                      concurrency: concurrency))
        let report: HostListImporter.Report
        do {
            let client = try options.client()
            report = try await importer.importHosts(from: source, into: client)
        } catch let failure as AdminCommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if options.json {
            let summary = Summary(
                pages: report.listing.pages, listed: report.listing.hosts.count, truncated: report.listing.truncated,
                added: report.added, skipped: report.skipped,
                failed: report.failed.map { ["hostname": $0.hostname, "reason": $0.reason] })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        for failure in report.failed { print("failed \(failure.hostname): \(failure.reason)") }
        let cap = report.listing.truncated ? " (stopped at a cap: more hosts may exist)" : ""
        print("read \(report.listing.hosts.count) hosts in \(report.listing.pages) page(s)\(cap); "
            + "added \(report.added.count), failed \(report.failed.count), skipped \(report.skipped.count) banned")
    }
}
