import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-admin request show <no>`: a request's timeline against the SOP's standards.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Look at one request.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The full timeline of a request: every step, who, when, how long against the SOP's standard.")
        @Argument(help: "The request number, e.g. KK-20261125-000001.") var number: String

        func run() async throws {
            let env = try CLIEnvironment.load(needsKafka: false)
            let pool = try await PostgresPool.connect(url: env.databaseURL, size: 1, logger: CLILogger.make("kk-admin"))
            let lines: [String]
            do {
                lines = try await pool.withTransaction { tx in
                    let request = try await RequestStore.load(number: number, in: tx)
                    let timeline = RequestTimeline(events: try await RequestStore.events(of: request.id, in: tx))
                    return ["Permohonan \(request.number) (\(request.reason.indonesianName)): \(request.state.indonesianName)"] + timeline.lines()
                }
            } catch let error as RequestStoreError {
                await pool.close()
                throw CLIFailure(error.description)
            }
            await pool.close()
            lines.forEach { print($0) }
        }
    }
}
