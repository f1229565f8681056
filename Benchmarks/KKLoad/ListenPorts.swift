import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ports for the child processes a run or a test starts to listen on.
///
/// They come from below the kernel's ephemeral range (32768–60999 on Linux):
/// a port the kernel handed out for `bind(0)` and that was closed again can be
/// taken by any outgoing connection (to the broker, the database) before the
/// child binds it, which made a daemon fail with "Address already in use".
/// Below that range only listeners bind, so a port that is free now and not
/// handed out before by this process stays free for the child.
public enum ListenPorts {
    static let range = 20000..<32000
    private static let cursor = Mutex(Int.random(in: range))

    /// The next port of the range that nothing listens on, never the same one twice in a process.
    public static func next() -> Int {
        cursor.withLock { cursor in
            for _ in range {
                let port = cursor
                cursor = cursor + 1 == range.upperBound ? range.lowerBound : cursor + 1
                if isFree(port) { return port }
            }
            fatalError("no free port between \(range.lowerBound) and \(range.upperBound): stop the processes left listening there")
        }
    }

    /// Whether a listener could bind `port` on the loopback address now.
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
