import Foundation
import Synchronization

/// At most `limit` requests per client per minute (a fixed one-minute window),
/// for the routes anyone on the internet can call. It remembers at most
/// `maximumClients` clients per window, and refuses what does not fit, so a
/// flood from many addresses cannot grow it either.
public final class ClientRateLimiter: Sendable {
    public let limit: Int
    let maximumClients: Int
    private let state = Mutex(Window(start: .distantPast))

    private struct Window {
        var start: Date
        var counts: [String: Int] = [:]
    }

    public init(perMinute limit: Int, maximumClients: Int = 100_000) {
        self.limit = limit
        self.maximumClients = maximumClients
    }

    /// Counts one request from `client` at `now`; false when it is over the limit.
    public func admit(_ client: String, now: Date = Date()) -> Bool {
        state.withLock { window in
            if now.timeIntervalSince(window.start) >= 60 || now < window.start { window = Window(start: now) }
            let count = window.counts[client] ?? 0
            guard count < limit, count > 0 || window.counts.count < maximumClients else { return false }
            window.counts[client] = count + 1
            return true
        }
    }
}
