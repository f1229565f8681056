import Foundation

/// Runs one of poppler's (or zbar's) command-line tools and returns its standard output.
/// Standard error is dropped: zbarimg, for one, reports a missing D-Bus there on a
/// machine without one, which is no part of what it decoded.
enum PopplerTool {
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func file(_ bytes: [UInt8], name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(name)")
        try Data(bytes).write(to: url)
        return url
    }
}
