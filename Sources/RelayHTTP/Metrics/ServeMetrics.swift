import CoreMetrics

/// The firehose service's Prometheus metrics (created once; labels are fixed sets).
public struct ServeMetrics: Sendable {
    /// Connected subscribers.
    public let subscribers = Gauge(label: "tributary_subscribers")
    /// Subscriber connections refused by the per-address cap.
    public let refusedConnections = Counter(label: "tributary_subscribers_refused_total")
    /// Subscribers disconnected because retention overtook them.
    public let tooSlow = Counter(label: "tributary_subscribers_too_slow_total")
    private let framesSent: [Counter]
    private let bytesSent: [Counter]

    /// Creates the metrics.
    public init() {
        framesSent = FrameVariant.all.sorted { $0.index < $1.index }.map {
            Counter(label: "tributary_frames_sent_total", dimensions: [("variant", $0.description)])
        }
        bytesSent = FrameVariant.all.sorted { $0.index < $1.index }.map {
            Counter(label: "tributary_bytes_sent_total", dimensions: [("variant", $0.description)])
        }
    }

    /// Counts a frame sent.
    func sent(_ variant: FrameVariant, frames: Int, bytes: Int) {
        framesSent[variant.index].increment(by: frames)
        bytesSent[variant.index].increment(by: bytes)
    }
}
