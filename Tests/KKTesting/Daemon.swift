import Foundation
import KKLoad
import Testing

/// A daemon of this package running as a real process, its output in a file
/// (a pipe nobody reads would fill and block it).
package struct Daemon {
    package let name: String
    package let process: Process
    package let log: URL

    package static func start(_ name: String, _ arguments: [String], environment: [String: String], marker: String) async throws -> Daemon {
        let (log, handle) = try PackageProgram.logFile(name)
        let process = try PackageProgram.start(name, arguments, extra: environment, output: handle)
        let daemon = Daemon(name: name, process: process, log: log)
        for _ in 0..<900 where !daemon.output.contains(marker) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(daemon.output.contains(marker), "\(name) did not start: \(daemon.output.suffix(2000))")
        return daemon
    }

    package var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    package func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// SIGKILL: no drain, no goodbye, as when the machine loses power.
    package func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
