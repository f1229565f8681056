import Crypto
import Foundation

/// One backup target: a folder on its own mount (the department's server, a
/// hard disk, a flash disk). Files are stored by content: `sha256/ab/abcdef…`.
struct ArchiveTarget: Sendable, Equatable {
    let name: String
    let root: URL

    /// "server=/srv/arsip,hdd=/mnt/hdd/arsip,flash=/media/flash/arsip" (KK_ARCHIVE_TARGETS).
    static func parse(_ text: String) throws -> [ArchiveTarget] {
        let targets = try text.split(separator: ",").map { item -> ArchiveTarget in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[1].hasPrefix("/") else {
                throw ArchiveError.configuration("'\(item)' is not name=/absolute/path in KK_ARCHIVE_TARGETS")
            }
            return ArchiveTarget(name: parts[0], root: URL(fileURLWithPath: parts[1]))
        }
        guard Set(targets.map(\.name)).count == targets.count else { throw ArchiveError.configuration("target names in KK_ARCHIVE_TARGETS repeat") }
        return targets
    }

    func path(of sha256: String) -> URL {
        root.appendingPathComponent("sha256").appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// Writes the bytes (temporary file, fsync, rename), then reads them back and checks the digest.
    func store(_ bytes: [UInt8], sha256: String) throws {
        let file = path(of: sha256)
        if (try? read(sha256)) == bytes { return }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(sha256).\(UUID().uuidString.prefix(8))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ArchiveError.targetUnavailable(name, "cannot create files in \(root.path)")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
        try handle.close()
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
        try FileManager.default.moveItem(at: temporary, to: file)
        guard let back = try? read(sha256), Self.digest(back) == sha256 else {
            throw ArchiveError.targetUnavailable(name, "the copy of \(sha256.prefix(12)) read back differs")
        }
    }

    func read(_ sha256: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(of: sha256).path) else { throw ArchiveError.missing(name, sha256) }
        return Array(data)
    }

    /// Whether the target's folder exists and takes a file now.
    var isWritable: Bool {
        let probe = root.appendingPathComponent(".probe-\(UUID().uuidString.prefix(8))")
        guard (try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)) != nil,
            FileManager.default.createFile(atPath: probe.path, contents: Data("ok".utf8))
        else { return false }
        try? FileManager.default.removeItem(at: probe)
        return true
    }

    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

enum ArchiveError: Error, CustomStringConvertible {
    case configuration(String)
    case targetUnavailable(String, String)
    case missing(String, String)

    var description: String {
        switch self {
        case let .configuration(detail): "Archive configuration: \(detail)."
        case let .targetUnavailable(name, detail): "Target '\(name)' is unavailable: \(detail)."
        case let .missing(name, sha256): "Target '\(name)' has no copy of \(sha256.prefix(12))."
        }
    }
}
