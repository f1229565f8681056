import Foundation

/// One of this package's executables started as a real process. Every launcher (the fleet of a
/// pipeline run, the command runner, the tests' daemons and child processes) starts its
/// processes here: the same binary lookup, the same inherited environment with a service's own
/// database role (`LocalServiceRole`), no terminal input.
public enum PackageProgram {
    /// The folder of the running executable, or (in a test bundle) the build folder above it.
    public static func buildFolder(containing name: String = "kk-admin") -> URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(name).path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }

    /// The environment `name arguments` runs with: this process's, then `extra` on top, less
    /// the variables in `without` (an officer CLI gets no database credential).
    public static func environment(
        for name: String, arguments: [String], extra: [String: String], without: Set<String> = []
    ) -> [String: String] {
        let merged = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }.filter { !without.contains($0.key) }
        return LocalServiceRole.environment(merged, binary: name, arguments: arguments)
    }

    /// Starts `name arguments` from `folder` (default: the build folder), its standard output
    /// and error both to `output` (a `FileHandle` or a `Pipe`, as `Process` takes them).
    public static func start(
        _ name: String, _ arguments: [String], in folder: URL? = nil, extra: [String: String], without: Set<String> = [], output: Any
    ) throws -> Process {
        let process = Process()
        process.executableURL = (folder ?? buildFolder(containing: name)).appendingPathComponent(name)
        process.arguments = arguments
        process.environment = environment(for: name, arguments: arguments, extra: extra, without: without)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A new empty file in the temporary folder for a process's output, named after `name`.
    public static func logFile(_ name: String) throws -> (url: URL, handle: FileHandle) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return (url, try FileHandle(forWritingTo: url))
    }
}
