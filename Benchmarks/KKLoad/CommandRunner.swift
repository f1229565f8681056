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

    /// The folder of the running executable, or (in a test bundle) the build folder above it.
    public static func buildFolder(containing name: String = "kk-admin") -> URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(name).path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }

    /// Runs `name arguments` with `extra` on top of the environment; waits for it on a thread of its own.
    public func run(_ name: String, _ arguments: [String], extra: [String: String] = [:]) async throws -> Outcome {
        let binary = binDirectory.appendingPathComponent(name)
        let environment = ProcessInfo.processInfo.environment.merging(self.environment) { _, new in new }.merging(extra) { _, new in new }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let log = FileManager.default.temporaryDirectory.appendingPathComponent("kk-load-\(UUID().uuidString).out")
                    FileManager.default.createFile(atPath: log.path, contents: nil)
                    defer { try? FileManager.default.removeItem(at: log) }
                    let handle = try FileHandle(forWritingTo: log)
                    let process = Process()
                    process.executableURL = binary
                    process.arguments = arguments
                    process.environment = environment
                    process.standardOutput = handle
                    process.standardError = handle
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
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
