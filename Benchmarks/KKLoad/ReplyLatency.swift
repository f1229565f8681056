import Foundation

/// The WhatsApp reply as the applicant feels it: from a signed "halo" posted to
/// the gateway's webhook to the office's answer handed to the Graph API (the
/// sandbox stamps each message it takes with the machine's clock). Idle: one
/// applicant at a time. Burst: `burst` applicants writing at the same moment.
public struct ReplyLatency: Sendable {
    public struct Figures: Sendable {
        public let samples: [Duration]

        public func percentile(_ p: Double) -> Duration {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return .zero }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }

        /// "median 12 ms, p90 15 ms, p99 20 ms, max 31 ms (200 replies)".
        public var summary: String {
            func ms(_ d: Duration) -> String { String(format: "%.1f ms", d.seconds * 1000) }
            return "median \(ms(percentile(0.5))), p90 \(ms(percentile(0.9))), p99 \(ms(percentile(0.99))), max \(ms(percentile(1))) (\(samples.count) replies)"
        }
    }

    let run: PipelineRun
    /// Phones numbered from here, one per applicant, none of them used by the run otherwise.
    var nextPhone = 6_281_700_000_000
    /// Messages the sandbox has taken so far (`_sandbox/messages?after=`).
    private var seen = 0

    public init(run: PipelineRun) { self.run = run }

    /// `count` applicants, each writing once the one before got the answer.
    public mutating func idle(_ count: Int) async throws -> Figures {
        var samples: [Duration] = []
        for _ in 0..<count { samples += try await round(of: 1) }
        return Figures(samples: samples)
    }

    /// `rounds` times, `applicants` applicants writing at once.
    public mutating func burst(_ applicants: Int, rounds: Int) async throws -> Figures {
        var samples: [Duration] = []
        for _ in 0..<rounds { samples += try await round(of: applicants) }
        return Figures(samples: samples)
    }

    /// New applicants each post "halo" at the same moment; returns each one's time to the answer.
    private mutating func round(of applicants: Int) async throws -> [Duration] {
        let phones = (0..<applicants).map { String(nextPhone + $0) }
        nextPhone += applicants
        let player = run.player
        let sentAt = try await withThrowingTaskGroup(of: (String, Double).self) { group in
            for phone in phones {
                group.addTask {
                    let at = Date().timeIntervalSince1970 * 1000
                    try await player.text("halo", from: phone)
                    return (phone, at)
                }
            }
            return try await group.reduce(into: [String: Double]()) { $0[$1.0] = $1.1 }
        }
        var answeredAt: [String: Double] = [:]
        let deadline = ContinuousClock.now + .seconds(120)
        while answeredAt.count < phones.count {
            guard ContinuousClock.now < deadline else {
                throw LoadError.gaveUp("wait for the answer to \(phones.count - answeredAt.count) of \(phones.count) greetings")
            }
            let messages = try await run.messagesSent(after: seen)
            seen += messages.count
            for message in messages {
                guard let to = message["to"] as? String, sentAt[to] != nil, answeredAt[to] == nil, let at = message["received_at_ms"] as? Double
                else { continue }
                answeredAt[to] = at
            }
            if messages.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        }
        return phones.map { phone in .milliseconds(answeredAt[phone]! - sentAt[phone]!) }
    }
}
