import Foundation

/// What every CLI reads from the environment, with an actionable error when missing.
public struct CLIEnvironment: Sendable {
    public let databaseURL: String
    public let kafkaBrokers: String

    public static func load(
        needsDatabase: Bool = true, needsKafka: Bool = true,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CLIEnvironment {
        do {
            let db = needsDatabase
                ? try ServiceEnvironment.required("KK_DATABASE_URL", in: environment, example: "postgresql://kk:secret@127.0.0.1:54329/kk") : ""
            let kafka = needsKafka
                ? try ServiceEnvironment.required("KK_KAFKA_BROKERS", in: environment, example: "127.0.0.1:19092") : ""
            return CLIEnvironment(databaseURL: db, kafkaBrokers: kafka)
        } catch {
            throw CLIFailure(error.description)
        }
    }
}

/// An error a CLI prints as is (no stack, no type name) before exiting with status 1.
public struct CLIFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { self.description = message }
}
