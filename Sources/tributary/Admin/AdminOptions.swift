import ArgumentParser
import Foundation
import RelayHTTP

/// The options every `tributary admin` subcommand shares: where the relay is, the token, the output format.
struct AdminOptions: ParsableArguments {
    @Option(help: "Base URL of the relay (default: TRIBUTARY_ADMIN_URL, else http://127.0.0.1:2470).")
    var url: String?

    @Option(help: "Admin token (default: TRIBUTARY_ADMIN_TOKEN, else the file <data-dir>/admin-token).")
    var token: String?

    @Option(help: "Data directory holding admin-token (default: TRIBUTARY_DATA_DIR, else ./data).")
    var dataDir: String?

    @Flag(help: "Print the server's JSON instead of a table.")
    var json = false

    /// The relay's base URL.
    func baseURL(environment: [String: String]) -> String {
        url ?? environment[EnvironmentDefaults.variable(for: "admin-url")] ?? "http://127.0.0.1:2470"
    }

    /// The token: `--token`, else `TRIBUTARY_ADMIN_TOKEN`, else `<data-dir>/admin-token`.
    func resolveToken(environment: [String: String]) throws(AdminCommandFailure) -> String {
        let given = token ?? environment[EnvironmentDefaults.variable(for: "admin-token")]
        let directory = dataDir ?? environment[EnvironmentDefaults.variable(for: "data-dir")] ?? "./data"
        let stored: AdminToken?
        do throws(AdminTokenError) {
            if let given { return try AdminToken(given).value }
            stored = try AdminToken.load(dataDirectory: directory)
        } catch {
            throw AdminCommandFailure("admin token: \(error)")
        }
        guard let stored else {
            throw AdminCommandFailure(
                "no admin token: pass --token, set TRIBUTARY_ADMIN_TOKEN, or run where "
                    + "\(AdminToken.filePath(dataDirectory: directory)) is readable (see --data-dir)")
        }
        return stored.value
    }

    /// A client for the configured relay.
    func client() throws(AdminCommandFailure) -> AdminClient {
        let environment = ProcessInfo.processInfo.environment
        return AdminClient(baseURL: baseURL(environment: environment), token: try resolveToken(environment: environment))
    }

    /// Runs `operation` against the relay and prints its result: the raw JSON with `--json`, else `text` of the
    /// decoded value. Any failure prints one line on stderr and exits with status 1.
    func execute<T: Decodable>(
        _ type: T.Type, _ operation: (AdminClient) async throws(AdminClientError) -> [UInt8],
        text: (T) -> String
    ) async throws {
        do {
            let connection = try self.client()
            let bytes: [UInt8]
            do {
                bytes = try await operation(connection)
            } catch {
                throw AdminCommandFailure(error.description)
            }
            if json {
                print(String(decoding: bytes, as: UTF8.self))
            } else {
                do {
                    print(text(try AdminClient.decode(type, bytes)))
                } catch {
                    throw AdminCommandFailure(error.description)
                }
            }
        } catch let failure as AdminCommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A one-line reason a `tributary admin` command failed.
struct AdminCommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
