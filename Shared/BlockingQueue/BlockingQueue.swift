import Dispatch

/// A dispatch queue for a C library's blocking calls (librdkafka, libpq): they
/// run on the queue's threads, never on Swift's cooperative pool, and the
/// caller awaits their result. A serial queue also keeps the calls on one
/// handle in order, one at a time (a libpq connection, a Kafka consumer).
public struct BlockingQueue: Sendable {
    private let queue: DispatchQueue

    /// `serial`: one call at a time, in the order given; otherwise side by side.
    public init(label: String, serial: Bool = true) {
        queue = serial ? DispatchQueue(label: label) : DispatchQueue(label: label, attributes: .concurrent)
    }

    /// Runs `body` on the queue; returns what it returned, or throws what it threw.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }
}
