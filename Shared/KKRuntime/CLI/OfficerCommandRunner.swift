import Foundation
import KKDomain
import Postgres

/// Runs one officer command: connects, signs the officer in, checks the role,
/// runs the command and writes the outcome to the audit log. Officer errors
/// become plain messages (in Indonesian) for the terminal.
public enum OfficerCommandRunner {
    public static func run<T: Sendable>(
        service: String, command: String, allowed: Set<Role>, requestNumber: String? = nil,
        _ body: @Sendable (Officer, PostgresPool) async throws -> T
    ) async throws -> T {
        let env = try CLIEnvironment.load(needsKafka: false)
        let pool = try await PostgresPool.connect(url: env.databaseURL, size: 2, logger: CLILogger.make(service))
        defer { Task { await pool.close() } }
        let directory = OfficerDirectory(pool: pool)
        let officer: Officer
        do {
            officer = try await OfficerSignIn.current(directory: directory)
        } catch let error as OfficerError {
            throw CLIFailure(error.description)
        }
        let gate = OfficerGate(pool: pool, service: service)
        var requestID: UUID?
        if let number = requestNumber { requestID = try await RequestStore.id(ofNumber: number, pool: pool) }
        do {
            try await gate.authorize(officer, command: command, allowed: allowed, requestID: requestID)
        } catch let error as OfficerError {
            throw CLIFailure(error.description)
        }
        do {
            let result = try await body(officer, pool)
            try await gate.record(officer, command: command, requestID: requestID, outcome: .ok)
            return result
        } catch {
            try? await gate.record(officer, command: command, requestID: requestID, outcome: .failed, detail: "\(error)")
            if let facing = error as? any OfficerFacingError { throw CLIFailure(facing.description) }
            throw error
        }
    }
}

/// "3 mnt", "1 jam 5 mnt": durations as officers read them.
public func indonesianDuration(_ seconds: TimeInterval) -> String {
    let minutes = Int((seconds / 60).rounded(.down))
    if minutes < 1 { return "\(Int(seconds)) dtk" }
    if minutes < 60 { return "\(minutes) mnt" }
    let hours = minutes / 60
    if hours < 48 { return "\(hours) jam \(minutes % 60) mnt" }
    return "\(hours / 24) hari"
}
