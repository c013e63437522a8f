import EventLog
import Foundation

/// The connected subscribers with their lag behind the log head, for `GET /admin/subscribers`.
enum AdminSubscriberSnapshot {
    static func take(registry: SubscriberRegistry, log: EventLog) -> AdminSubscriberList {
        // Positions first, head second: the head only grows, so no lag comes out negative.
        let subscribers = registry.all
        let head = log.headSeq
        return AdminSubscriberList(
            epoch: Seq.epoch(of: head), headSeq: head,
            subscribers: subscribers.map { subscriber in
                AdminSubscriberView(
                    id: subscriber.id, remoteAddress: subscriber.remoteAddress,
                    cursor: subscriber.parameters.cursor, shards: subscriber.parameters.shard?.count,
                    shard: subscriber.parameters.shard?.index, stripProofs: subscriber.parameters.stripProofs,
                    compressed: subscriber.compressed, connectedAt: subscriber.connectedAt.formatted(.iso8601),
                    position: subscriber.position, lag: lag(position: subscriber.position, head: head))
            })
    }

    /// Events after `position` up to `head`. Within one epoch seqs count events one by one, so this is exact;
    /// a subscriber still in an older epoch gets the head epoch's events (its own epoch's remainder is not
    /// counted, which keeps this free of log reads).
    static func lag(position: UInt64, head: UInt64) -> UInt64 {
        guard position < head else { return 0 }
        if Seq.epoch(of: position) == Seq.epoch(of: head) { return head - position }
        return Seq.counter(of: head)
    }
}
