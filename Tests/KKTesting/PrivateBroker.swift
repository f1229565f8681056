import Foundation
import Testing

/// A Tansu broker of one test's own (topics in memory), so the test can kill
/// it and start it again empty, as a broker that lost its data.
package final class PrivateBroker: @unchecked Sendable {
    package let port: Int
    private var process: Process?

    package init() { port = freePort() }

    package var brokers: String { "127.0.0.1:\(port)" }

    package func start() async throws {
        let binary = ProcessInfo.processInfo.environment["KK_TANSU_BIN"] ?? ""
        try #require(FileManager.default.isExecutableFile(atPath: binary), "KK_TANSU_BIN is not set or not installed: run the tests with `make test`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url", "tcp://127.0.0.1:\(port)",
            "--storage-engine", "memory://tansu/",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<100 where !Self.listening(port) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(Self.listening(port), "the private broker did not open port \(port)")
    }

    /// SIGKILL: everything it held is gone.
    package func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    package static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    deinit { kill() }
}
