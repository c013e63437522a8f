import EventLog
import Foundation
import Hummingbird

/// `GET /xrpc/_health`: `{"status":"ok","version":…,"epoch":E,"headSeq":S,"oldestSeq":O}` (design §3).
enum HealthRoute {
    static func register(on router: Router<RelayRequestContext>, log: EventLog, version: String) {
        router.get("/xrpc/_health") { _, _ -> Response in
            let state = try log.read { txn in (try txn.epoch(), try txn.headSeq(), try txn.oldestSeq()) }
            var object: [String: Any] = ["status": "ok", "version": version, "epoch": state.0, "headSeq": state.1]
            object["oldestSeq"] = state.2 ?? NSNull()
            return JSONResponse.make(object)
        }
    }
}

/// JSON responses from Foundation objects.
enum JSONResponse {
    static func make(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
