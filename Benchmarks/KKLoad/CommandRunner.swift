import Foundation

/// Runs one of the package's executables to completion, with its output
/// captured (through a file: a pipe nobody reads while it runs could fill).
public struct CommandRunner: Sendable {
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: String
        public var succeeded: Bool { status == 0 }
    }

    public let binDirectory: URL
    public let environment: [String: String]

    public init(binDirectory: URL, environment: [String: String]) {
        self.binDirectory = binDirectory
        self.environment = environment
    }

    /// Runs `name arguments` with `extra` on top of the environment; waits for it on a thread of its own.
    public func run(_ name: String, _ arguments: [String], extra: [String: String] = [:]) async throws -> Outcome {
        let environment = self.environment.merging(extra) { _, new in new }
        let folder = binDirectory
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let (log, handle) = try PackageProgram.logFile("kk-load-\(name)")
                    defer { try? FileManager.default.removeItem(at: log) }
                    let process = try PackageProgram.start(name, arguments, in: folder, extra: environment, output: handle)
                    process.waitUntilExit()
                    try? handle.close()
                    let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                    continuation.resume(returning: Outcome(status: process.terminationStatus, output: output))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
