import Foundation
import KKLoad

/// Runs a built executable of this package (kk-probe, kk-admin) as a real process.
package struct ChildProcess {
    package let process: Process
    package let output: Pipe

    /// `without`: variables the child must not inherit (an officer CLI gets no database credential).
    package static func start(_ name: String, _ arguments: [String], environment: [String: String] = [:], without: Set<String> = []) throws -> ChildProcess {
        let pipe = Pipe()
        let process = try PackageProgram.start(name, arguments, extra: environment, without: without, output: pipe)
        return ChildProcess(process: process, output: pipe)
    }

    /// Reads output until `marker` appears (or the process ends); returns what was read.
    package func waitFor(_ marker: String, timeout: Duration = .seconds(90)) -> String {
        var text = ""
        let deadline = ContinuousClock.now + timeout
        let handle = output.fileHandleForReading
        while ContinuousClock.now < deadline, !text.contains(marker) {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    /// Waits for the process to end; with `timeout`, one still running then is stopped
    /// (SIGTERM), so a program that should have refused to start fails the test instead of hanging it.
    package func wait(timeout: Duration? = nil) -> (status: Int32, output: String) {
        if let timeout {
            let process = process
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000))) {
                if process.isRunning { process.terminate() }
            }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
