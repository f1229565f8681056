import KKDomain

/// The Graph API's own failures, injected by `kk-dev sandbox --chaos-percent P`
/// on about P % of the calls it serves (media, files, messages, uploads), chosen
/// from a seed so a run can be repeated: 429, 500, 503, a slow answer, or no answer
/// within the gateway's timeout (a message send cut off that way was taken half
/// of the time, as Meta may take a message whose answer is lost).
struct SandboxChaos: Sendable {
    enum Fault: String, CaseIterable, Sendable {
        case tooManyRequests = "429"
        case serverError = "500"
        case unavailable = "503"
        case slow
        case timeout
    }

    /// One draw: the fault, and whether a send it cuts off was taken first.
    struct Draw: Sendable {
        let fault: Fault
        let taken: Bool
    }

    let percent: Double
    let seed: UInt64
    /// How long a slow answer takes; well within the gateway's timeout.
    let slow: Duration
    /// How long a call left unanswered hangs before a 504; past the gateway's timeout.
    let hang: Duration
    private var random: SplitMix64
    private(set) var injected: [Fault: Int] = [:]
    private(set) var calls = 0

    init(percent: Double, seed: UInt64, slow: Duration, hang: Duration) {
        self.percent = percent
        self.seed = seed
        self.slow = slow
        self.hang = hang
        random = SplitMix64(seed: seed)
    }

    /// The fault for the next call, or nil for an ordinary answer.
    mutating func draw() -> Draw? {
        calls += 1
        guard percent > 0, Double.random(in: 0..<100, using: &random) < percent else { return nil }
        let fault = Fault.allCases.randomElement(using: &random)!
        injected[fault, default: 0] += 1
        return Draw(fault: fault, taken: Bool.random(using: &random))
    }

    /// What was injected, for `GET /_sandbox/chaos`.
    var summary: [String: Any] {
        ["seed": String(seed), "percent": percent, "calls": calls, "injected": Dictionary(uniqueKeysWithValues: injected.map { ($0.key.rawValue, $0.value) })]
    }
}
