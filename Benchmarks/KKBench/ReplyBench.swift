import ArgumentParser
import Foundation
import KKLoad

/// `kk-bench reply`: how long an applicant waits for the office's WhatsApp answer.
struct ReplyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract:
            "The WhatsApp reply: a signed \"halo\" into the gateway until the answer is handed to the Graph API, idle and with many applicants writing at once.",
        discussion: """
            Runs the sandbox, the gateway and every service as processes in a database and topic namespace of
            its own on the local stack (KK_DATABASE_URL, KK_KAFKA_BROKERS), dropped afterwards; no officer acts.
            Idle: --idle applicants one after another. Burst: --rounds times, --burst applicants at the same moment.
            """)

    @Option(help: "Applicants writing one after another.") var idle = 200
    @Option(help: "Applicants writing at the same moment.") var burst = 50
    @Option(help: "How many bursts.") var rounds = 6
    @Option(help: "Folder for logs (default: a new temporary folder).") var work: String?

    func run() async throws {
        let folder = URL(fileURLWithPath: work ?? FileManager.default.temporaryDirectory.appendingPathComponent("kk-bench-\(UUID().uuidString.prefix(8))").path)
        let settings = PipelineRun.Settings(
            databaseURL: try BenchEnvironment.require("KK_DATABASE_URL"), brokers: try BenchEnvironment.require("KK_KAFKA_BROKERS"),
            binDirectory: PackageProgram.buildFolder(containing: "kk-admin"), workDirectory: folder, replicas: [:])
        let run = try await PipelineRun.prepare(settings, families: 1)
        do {
            try await run.start(officers: false)
            var latency = ReplyLatency(run: run)
            _ = try await latency.idle(20)  // warm-up: connections, prepared paths, the consumers' first fetches
            let idle = try await latency.idle(idle)
            let burst = try await latency.burst(burst, rounds: rounds)
            print("WhatsApp reply (signed webhook in -> answer handed to the Graph API), one replica of each service; logs in \(folder.path)")
            print("  idle, one applicant at a time: \(idle.summary)")
            print("  \(self.burst) applicants at once, \(rounds) times: \(burst.summary)")
        } catch {
            await run.shutdown(dropDatabase: false)
            throw error
        }
        await run.shutdown(dropDatabase: true)
    }
}
