/// Wakes a loop that waits for work (the outbox relay, the webhook inbox's
/// dispatcher): rings while it is busy are kept as one, so a burst of commits
/// costs one more round, not one round each.
public struct Doorbell: Sendable {
    public let rings: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (rings, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func ring() { continuation.yield() }

    public func close() { continuation.finish() }
}
