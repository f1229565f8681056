import Foundation

/// A program of the machine (pdfsig, openssl, python, bash) run to its end, as the
/// benchmarks and the tests use them to check what the package produced.
public enum ExternalTool {
    /// Runs `path arguments` with `extra` on top of this process's environment; its exit
    /// status and its standard output and error together.
    public static func run(_ path: String, _ arguments: [String], extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let tool = URL(fileURLWithPath: path)
        let pipe = Pipe()
        let process = try PackageProgram.start(tool.lastPathComponent, arguments, in: tool.deletingLastPathComponent(), extra: extra, output: pipe)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
