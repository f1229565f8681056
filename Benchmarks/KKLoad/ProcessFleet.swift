import Foundation

/// The daemons of one pipeline run as real processes: the Graph API sandbox,
/// the gateway and N replicas of each service, each logging to a file of its
/// own. It can kill a replica (SIGKILL, as a crashed node), start it again,
/// restart every replica of a service at once, and tracks each service's peak
/// resident memory (VmHWM) while its processes live.
public final class ProcessFleet: @unchecked Sendable {
    public struct Replica: Sendable {
        /// The name it is known by (the executable, or e.g. "graph-sandbox").
        public let service: String
        public let index: Int
        let binary: String
        let arguments: [String]
        let marker: String
        let extra: [String: String]
        let process: Process
        public let log: URL
        public var pid: Int32 { process.processIdentifier }
        public var isRunning: Bool { process.isRunning }
    }

    public let binDirectory: URL
    public let logDirectory: URL
    public let environment: [String: String]
    private let lock = NSLock()
    private var replicas: [String: [Replica]] = [:]
    private var peakKiB: [String: Int] = [:]
    /// CPU time (user + system, clock ticks) of each replica's process at its last sample, by pid.
    private var cpuTicks: [Int32: (service: String, ticks: Int)] = [:]
    private var machineAtStart: (busy: Int, total: Int)?
    private var launches: [String: Int] = [:]
    private var sampler: Task<Void, Never>?
    private var supervisor: Task<Void, Never>?
    private var intentional: Set<Int32> = []
    private var exits: [String: Int] = [:]

    public init(binDirectory: URL, logDirectory: URL, environment: [String: String]) throws {
        self.binDirectory = binDirectory
        self.logDirectory = logDirectory
        self.environment = environment
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
    }

    /// Starts one more replica of the executable `binary` (`serve` unless
    /// `arguments` says otherwise), known as `name` (default: the executable),
    /// and waits until its log shows `marker` (default: "<binary> started").
    @discardableResult
    public func launch(
        _ binary: String, as name: String? = nil, arguments: [String] = ["serve"], marker: String? = nil, extra: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> Replica {
        let service = name ?? binary
        let expected = marker ?? "\(binary) started"
        let number = lock.withLock { () -> Int in
            launches[service, default: 0] += 1
            return launches[service]!
        }
        let log = logDirectory.appendingPathComponent("\(service)-\(number).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = try PackageProgram.start(
            binary, arguments, in: binDirectory, extra: environment.merging(extra) { _, new in new }, output: handle)
        let index = lock.withLock { () -> Int in
            let index = replicas[service, default: []].count
            replicas[service, default: []].append(
                Replica(service: service, index: index, binary: binary, arguments: arguments, marker: expected, extra: extra, process: process, log: log))
            return index
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if Self.contents(of: log).contains(expected) { return replica(service, index)! }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FleetError.didNotStart(service: service, log: log.path, tail: String(Self.contents(of: log).suffix(1500)))
    }

    public func replica(_ service: String, _ index: Int) -> Replica? {
        lock.withLock { replicas[service].flatMap { index < $0.count ? $0[index] : nil } }
    }

    /// The live replicas of `service`.
    public func running(_ service: String) -> [Replica] {
        lock.withLock { replicas[service, default: []].filter(\.isRunning) }
    }

    public var services: [String] { lock.withLock { Array(replicas.keys).sorted() } }

    /// Starts a replica like `replica` again (after it was killed or stopped).
    @discardableResult
    public func relaunch(_ replica: Replica) async throws -> Replica {
        try await launch(replica.binary, as: replica.service, arguments: replica.arguments, marker: replica.marker, extra: replica.extra)
    }

    /// SIGKILL: the replica dies mid-step, as a node that loses power.
    public func kill(_ replica: Replica) {
        sample()
        lock.withLock { _ = intentional.insert(replica.pid) }
        guard replica.process.isRunning else { return forget(replica) }
        Foundation.kill(replica.pid, SIGKILL)
        replica.process.waitUntilExit()
        forget(replica)
    }

    /// SIGTERM and wait: a graceful stop (the message in hand is finished).
    public func stop(_ replica: Replica) {
        sample()
        lock.withLock { _ = intentional.insert(replica.pid) }
        if replica.process.isRunning {
            Foundation.kill(replica.pid, SIGTERM)
            replica.process.waitUntilExit()
        }
        forget(replica)
    }

    private func forget(_ replica: Replica) {
        lock.withLock {
            replicas[replica.service]?.removeAll { $0.pid == replica.pid }
        }
    }

    /// Stops every replica of every service (the reverse of their start order does not matter: each drains).
    public func stopAll() {
        sampler?.cancel()
        supervisor?.cancel()
        let all = lock.withLock { () -> [Replica] in
            let all = replicas.values.flatMap { $0 }
            intentional.formUnion(all.map(\.pid))
            return all
        }
        for replica in all where replica.process.isRunning { Foundation.kill(replica.pid, SIGTERM) }
        for replica in all { replica.process.waitUntilExit() }
        sample()
        lock.withLock { replicas.removeAll() }
    }

    // MARK: supervision

    /// Like compose's `restart: unless-stopped` or a Deployment: a replica
    /// that exits by itself is started again, and counted.
    public func startSupervising(every interval: Duration = .milliseconds(500)) {
        supervisor = Task.detached { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let exited = self.lock.withLock { self.replicas.values.flatMap { $0 }.filter { !$0.isRunning && !self.intentional.contains($0.pid) } }
                for replica in exited {
                    self.lock.withLock {
                        self.exits[replica.service, default: 0] += 1
                        self.intentional.insert(replica.pid)
                    }
                    self.forget(replica)
                    _ = try? await self.relaunch(replica)
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The replicas that exited without being told to, per service.
    public var unexpectedExits: [String: Int] { lock.withLock { exits } }

    /// Each replica's log that shows a crash, with its end: the Swift runtime's fatal error
    /// ("File.swift:12: Fatal error: ...") or its crash report ("Program crashed"). A log line
    /// of our own never starts that way (ours start with their level), so librdkafka's
    /// "Fatal error" of an idempotent producer, which a new client cures, is not taken for one.
    public func crashedLogs() -> [String] {
        (try? FileManager.default.contentsOfDirectory(at: logDirectory, includingPropertiesForKeys: nil))?.compactMap { url in
            let text = Self.contents(of: url)
            let crashed = text.split(separator: "\n").contains { line in
                line.contains("Program crashed") || line.wholeMatch(of: Self.runtimeFatalError) != nil
            }
            return crashed ? "\(url.lastPathComponent): \(text.suffix(1500))" : nil
        } ?? []
    }

    /// A line of the Swift runtime's fatal error, with or without the source location before it.
    nonisolated(unsafe) private static let runtimeFatalError = /(\S+\.swift:\d+: )?Fatal error: .*/

    // MARK: memory

    /// Samples every live process's peak resident set every `interval`.
    public func startSampling(every interval: Duration = .milliseconds(250)) {
        lock.withLock { machineAtStart = Self.machineTicks() }
        sampler = Task.detached { [weak self] in
            while !Task.isCancelled {
                self?.sample()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// The highest peak resident memory (KiB) any replica of each service reached.
    public var peakMemoryKiB: [String: Int] { lock.withLock { peakKiB } }

    /// CPU seconds (user + system) each service's replicas used, as last sampled, together
    /// (a replica killed and started again counts both processes).
    public var cpuSeconds: [String: Double] {
        let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return lock.withLock { cpuTicks.values.reduce(into: [:]) { $0[$1.service, default: 0] += Double($1.ticks) / ticksPerSecond } }
    }

    /// The whole machine's CPU since sampling started (every process, the broker and
    /// PostgreSQL included): seconds busy and seconds available, over all cores.
    public var machineCPU: (busy: Double, available: Double)? {
        guard let start = lock.withLock({ machineAtStart }), let now = Self.machineTicks() else { return nil }
        let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        return (Double(now.busy - start.busy) / ticksPerSecond, Double(now.total - start.total) / ticksPerSecond)
    }

    /// /proc/stat's first line: ticks busy (all but idle and iowait) and in all, over all cores.
    static func machineTicks() -> (busy: Int, total: Int)? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = stat.split(separator: "\n").first else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard ticks.count >= 5 else { return nil }
        let total = ticks.reduce(0, +)
        return (total - ticks[3] - ticks[4], total)
    }

    func sample() {
        let live = lock.withLock { replicas.values.flatMap { $0 }.filter(\.isRunning) }
        for replica in live {
            // /proc/<pid>/stat: after the command's closing parenthesis, utime and stime are the 12th and 13th fields.
            if let stat = try? String(contentsOfFile: "/proc/\(replica.pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) {
                    lock.withLock { cpuTicks[replica.pid] = (replica.service, user + system) }
                }
            }
            guard let status = try? String(contentsOfFile: "/proc/\(replica.pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { continue }
            lock.withLock { peakKiB[replica.service] = max(peakKiB[replica.service] ?? 0, kib) }
        }
    }

    static func contents(of log: URL) -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    deinit { stopAll() }
}

public enum FleetError: Error, CustomStringConvertible {
    case didNotStart(service: String, log: String, tail: String)

    public var description: String {
        switch self {
        case let .didNotStart(service, log, tail): "\(service) did not start; its log is \(log):\n\(tail)"
        }
    }
}
