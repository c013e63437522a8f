import ATData
import Foundation

/// The hosts' XRPC queries, answered from the accounts on each host.
extension SimulatedNetwork: HostDataSource {
    func describeServer(host: Int) -> HostAnswer {
        .json(["did": hosts[host].serviceDID, "availableUserDomains": ["." + configuration.handleDomain],
               "inviteCodeRequired": false])
    }

    func listRepos(host: Int, cursor: String?, limit: Int) -> HostAnswer {
        let hosted = accountOrder.compactMap { did in accounts[did].flatMap { $0.host == host ? $0 : nil } }
        var start = 0
        if let cursor {
            guard let value = Int(cursor), value >= 0 else { return .error(400, "InvalidRequest", "bad cursor") }
            start = min(value, hosted.count)
        }
        let end = min(start + limit, hosted.count)
        var repos: [[String: Any]] = []
        for account in hosted[start..<end] {
            guard let head = account.repo.head else { continue }
            var entry: [String: Any] = ["did": account.did, "head": head.cid.string, "rev": head.commit.rev,
                                        "active": account.active]
            if let status = account.status { entry["status"] = status }
            repos.append(entry)
        }
        var object: [String: Any] = ["repos": repos]
        if end < hosted.count { object["cursor"] = String(end) }
        return .json(object)
    }

    func repoStatus(host: Int, did: String) -> HostAnswer {
        if let status = departed[host]?[did] {
            return .json(["did": did, "active": false, "status": status])
        }
        guard let account = accounts[did], account.host == host else { return notFound(did) }
        var object: [String: Any] = ["did": did, "active": account.active]
        if let status = account.status { object["status"] = status }
        if account.active, let rev = account.repo.head?.commit.rev { object["rev"] = rev }
        return .json(object)
    }

    func latestCommit(host: Int, did: String) -> HostAnswer {
        switch hosted(host, did) {
        case .failure(let failure): return failure.answer
        case .success(let account):
            guard let head = account.repo.head else { return notFound(did) }
            return .json(["cid": head.cid.string, "rev": head.commit.rev])
        }
    }

    func repo(host: Int, did: String) -> HostAnswer {
        switch hosted(host, did) {
        case .failure(let failure): return failure.answer
        case .success(let account):
            guard let car = try? account.repo.exportCAR() else {
                return .error(500, "InternalServerError", "export failed")
            }
            return .car(car)
        }
    }

    /// The account if this host serves its repository, else the XRPC error a PDS gives.
    private func hosted(_ host: Int, _ did: String) -> Result<AccountState, HostAnswerError> {
        if let status = departed[host]?[did] { return .failure(HostAnswerError(inactive(did, status))) }
        guard let account = accounts[did], account.host == host else { return .failure(HostAnswerError(notFound(did))) }
        if !account.active { return .failure(HostAnswerError(inactive(did, account.status))) }
        return .success(account)
    }

    private func notFound(_ did: String) -> HostAnswer {
        .error(400, "RepoNotFound", "could not find repo for DID: \(did)")
    }

    private func inactive(_ did: String, _ status: String?) -> HostAnswer {
        switch status {
        case "takendown": .error(400, "RepoTakendown", "repo has been takendown: \(did)")
        case "suspended": .error(400, "RepoSuspended", "repo has been suspended: \(did)")
        case "deleted": notFound(did)
        default: .error(400, "RepoDeactivated", "repo has been deactivated: \(did)")
        }
    }
}

/// Carries an error answer through `Result`.
struct HostAnswerError: Error {
    let answer: HostAnswer
    init(_ answer: HostAnswer) { self.answer = answer }
}
