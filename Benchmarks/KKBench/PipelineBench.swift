import ArgumentParser
import Foundation
import KKDomain
import KKLoad

/// `kk-bench pipeline`: the whole SOP under load on the local stack.
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract:
            "N applicants through the gateway, automated officers on the officer API, every service as processes: requests/s end to end, per-hop latency, peak memory.",
        discussion: """
            Each run gets a database and topic namespace of its own on the local stack (KK_DATABASE_URL,
            KK_KAFKA_BROKERS), dropped afterwards. Run it twice with different --replicas to see how scaling a
            service changes throughput, e.g. --replicas kk-entry=3,kk-sign=3. Daemon logs stay in --work.
            """)

    @Option(help: "How many requests (applicants).") var requests = 100
    @Option(help: "Applicants sending at the same time (closed loop), unless --rate is given.") var concurrency = 10
    @Option(help: "Applicants arriving per second on average, open loop (Poisson), whatever the backlog.") var rate: Double?
    @Option(help: "Replicas per service, e.g. kk-entry=3,kk-sign=3 (others run one).") var replicas = ""
    @Option(help: "Officer robots working each queue side by side (people at the desks).") var officers = 1
    @Flag(help: "Officers act through the CLIs, a process per action, instead of the officer API from this process.") var cli = false
    @Option(help: "How often an idle officer robot looks at its queue, in ms.") var officerIntervalMs = 300
    @Option(help: "Folder for logs, keys and archive targets (default: a new temporary folder).") var work: String?
    @Option(help: "Give up waiting for the last request after this many seconds.") var timeout = 900
    @Flag(help: "Keep the run's database afterwards, to study where the time went (its name is printed).") var keepDatabase = false

    func validate() throws {
        if let rate, rate <= 0 { throw ValidationError("--rate takes requests per second above 0, e.g. --rate 25") }
    }

    func run() async throws {
        var counts: [String: Int] = [:]
        for pair in replicas.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let n = Int(parts[1]), n >= 1, PipelineRun.Settings.services.contains(String(parts[0])) else {
                throw ValidationError("--replicas takes service=count pairs of \(PipelineRun.Settings.services.joined(separator: ", ")), e.g. kk-entry=3")
            }
            counts[String(parts[0])] = n
        }
        let folder = URL(fileURLWithPath: work ?? FileManager.default.temporaryDirectory.appendingPathComponent("kk-bench-\(UUID().uuidString.prefix(8))").path)
        var settings = PipelineRun.Settings(
            databaseURL: try BenchEnvironment.require("KK_DATABASE_URL"), brokers: try BenchEnvironment.require("KK_KAFKA_BROKERS"),
            binDirectory: PackageProgram.buildFolder(containing: "kk-admin"), workDirectory: folder, replicas: counts)
        settings.officersPerQueue = officers
        settings.officerChannel = cli ? .cli : .api
        settings.officerInterval = .milliseconds(max(1, officerIntervalMs))
        let arrivals = rate.map { String(format: "arriving at %.0f/s (open loop)", $0) } ?? "\(concurrency) applicants at a time"
        print(
            "pipeline: \(requests) requests \(arrivals), replicas \(counts.isEmpty ? "1 each" : replicas), \(officers) officer(s) per queue "
                + "acting through the \(cli ? "CLIs" : "officer API") every \(officerIntervalMs) ms when idle; logs in \(folder.path)")
        let run = try await PipelineRun.prepare(settings, families: requests + 20)
        do {
            try await run.start()
            if let rate {
                let offered = try await run.play(requests: requests, rate: rate)
                print(String(format: "offered: %.1f requests/s", offered))
            } else {
                try await run.play(requests: requests, concurrency: concurrency)
            }
            try await run.waitUntilArchived(requests, timeout: .seconds(timeout))
            let report = try await PipelineReport.read(
                from: run.pool, peakMemoryKiB: run.fleet.peakMemoryKiB, cpuSeconds: run.fleet.cpuSeconds)
            print(report.text)
            if let machine = run.fleet.machineCPU {
                var usage = rusage()
                getrusage(RUSAGE_SELF.rawValue, &usage)
                let own = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
                print(
                    String(
                        format: "machine CPU: %.1f s busy of %.1f s (%.0f %%); kk-bench itself (applicants, officers): %.1f s",
                        machine.busy, machine.available, machine.available > 0 ? 100 * machine.busy / machine.available : 0, own))
            }
            print("officer actions: \(run.robots?.commandCount ?? 0), retried after a failure: \(run.robots?.failedCommands.count ?? 0)")
        } catch {
            await run.shutdown(dropDatabase: false)
            throw error
        }
        await run.shutdown(dropDatabase: !keepDatabase)
        if keepDatabase { print("database kept: \(run.databaseName)") }
    }
}
