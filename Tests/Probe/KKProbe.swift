import ArgumentParser
import Foundation
import KKDomain
import KKLogging
import KKMessaging
import KKOfficerCLI
import KKService
import KKStore
import Postgres

/// A test-only service built on KKService, so the runtime's promises can be
/// tested on real processes: killed with SIGKILL mid-step, stopped with SIGTERM.
@main
struct KKProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-probe",
        abstract: "Test-only service on the KK runtime (used by the runtime's process tests).",
        subcommands: [Serve.self, Step.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run as a daemon: consume KK_PROBE_TOPIC, apply each ProbeStep to its request, echo to KK_PROBE_OUTPUT_TOPIC.")

        func run() async throws {
            let env = ProcessInfo.processInfo.environment
            guard let topic = env["KK_PROBE_TOPIC"] else { throw CLIFailure("KK_PROBE_TOPIC is not set") }
            let name = env["KK_PROBE_NAME"] ?? "kk-probe"
            let output = env["KK_PROBE_OUTPUT_TOPIC"]
            let stepDelay = Double(env["KK_PROBE_STEP_DELAY_MS"] ?? "0") ?? 0
            try await ServiceRunner.run(
                ServiceDefinition(name: name, defaultHTTPPort: 0, topicNames: [topic]) { _ in
                    ProbeHandler(outputTopic: output, stepDelay: .milliseconds(stepDelay))
                })
        }
    }

    struct Step: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take one transition in a transaction, print IN_STEP after the event is written, then pause before commit.")
        @Option var request: String
        @Option var action: String
        @Option var role: String
        @Option var actor = "probe"
        @Option var pauseSeconds = 0

        func run() async throws {
            let env = try CLIEnvironment.load(needsKafka: false)
            guard let id = UUID(uuidString: request), let action = RequestAction(rawValue: action), let role = Role(rawValue: role) else {
                throw CLIFailure("bad --request, --action or --role")
            }
            let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: CLILogger.make("kk-probe"))
            let pause = pauseSeconds
            try await pool.withTransaction { tx in
                try await RequestStore.transition(id, action: action, by: Actor(role: role, id: actor), in: tx)
                FileHandle.standardOutput.write(Data("IN_STEP\n".utf8))
                if pause > 0 { try await Task.sleep(for: .seconds(pause)) }
            }
            print("COMMITTED")
            await pool.close()
        }
    }
}

/// Asks the probe to take `action` on `requestId`.
struct ProbeStep: EventPayload {
    static let eventType = "kk.probe.step"
    static let schemaVersion = 1
    let action: RequestAction
    let role: Role
}

struct ProbeHandler: MessageHandler {
    let outputTopic: String?
    let stepDelay: Duration

    func handle(_ message: InboundMessage, in tx: PostgresTransaction) async throws -> [OutgoingMessage] {
        let step = try message.envelope.decode(ProbeStep.self)
        guard let id = message.envelope.requestId else { throw MessageRejected("a probe step needs a request id") }
        let (_, event) = try await RequestStore.transition(id, action: step.action, by: Actor(role: step.role, id: "kk-probe"), in: tx)
        FileHandle.standardOutput.write(Data("STEP_IN_HAND \(id)\n".utf8))
        if stepDelay > .zero { try await Task.sleep(for: stepDelay) }
        guard let outputTopic else { return [] }
        return [OutgoingMessage(topic: outputTopic, key: id.uuidString.lowercased(), payload: Array(event.encoded()))]
    }
}
