import Crypto
import Foundation
import Hex

/// One backup target of the layered archive: a folder on its own mount (the
/// department's server, a hard disk, a flash disk) or an S3-compatible
/// bucket. Files are stored by content, under `sha256/ab/abcdef…`, sealed
/// (`ArchiveSealing`); `store` takes and `read` gives the plaintext.
protocol ArchiveTarget: Sendable {
    var name: String { get }
    /// Where it is, for the operator: a path or an s3:// address.
    var location: String { get }
    /// Writes the bytes, reads them back and checks the digest.
    func store(_ bytes: [UInt8], sha256: String) async throws
    func read(_ sha256: String) async throws -> [UInt8]
    /// Whether a file can be written there now.
    func isWritable() async -> Bool
    /// Bytes used by archived files, if the target can tell cheaply.
    func bytesUsed() async -> Int64?
}

enum ArchiveTargets {
    /// "server=/srv/arsip,hdd=/mnt/hdd/arsip,cloud=s3://bucket/arsip" (KK_ARCHIVE_TARGETS).
    static func parse(_ text: String, sealing: ArchiveSealing, environment: [String: String]) throws -> [any ArchiveTarget] {
        let targets = try text.split(separator: ",").map { item -> any ArchiveTarget in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ArchiveError.configuration("'\(item)' is not name=/absolute/path or name=s3://bucket/prefix in KK_ARCHIVE_TARGETS")
            }
            if parts[1].hasPrefix("s3://") { return try S3Target(name: parts[0], address: parts[1], sealing: sealing, environment: environment) }
            guard parts[1].hasPrefix("/") else { throw ArchiveError.configuration("'\(parts[1])' is not an absolute path") }
            return FolderTarget(name: parts[0], root: URL(fileURLWithPath: parts[1]), sealing: sealing)
        }
        guard Set(targets.map(\.name)).count == targets.count else { throw ArchiveError.configuration("target names in KK_ARCHIVE_TARGETS repeat") }
        return targets
    }

    static func key(of sha256: String) -> String { "sha256/\(sha256.prefix(2))/\(sha256)" }

    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).hexEncoded
    }
}

/// A folder on its own mount; its folders are 0700 and its files 0600.
struct FolderTarget: ArchiveTarget {
    let name: String
    let root: URL
    let sealing: ArchiveSealing

    var location: String { root.path }

    func path(of sha256: String) -> URL { root.appendingPathComponent(ArchiveTargets.key(of: sha256)) }

    /// Sealed into a temporary file (0600), fsync, rename; then read back and checked.
    func store(_ bytes: [UInt8], sha256: String) async throws {
        let file = path(of: sha256)
        if let stored = FileManager.default.contents(atPath: file.path), stored.starts(with: ArchiveSealing.magic),
            (try? sealing.open(Array(stored), sha256: sha256, target: name)) == bytes
        {
            return
        }
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ArchiveError.targetUnavailable(name, "cannot create folders in \(root.path)")
        }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(sha256).\(UUID().uuidString.prefix(8))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ArchiveError.targetUnavailable(name, "cannot create files in \(root.path)")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: try sealing.seal(bytes, sha256: sha256))
        try handle.synchronize()
        try handle.close()
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
        try FileManager.default.moveItem(at: temporary, to: file)
        guard let back = try? await read(sha256), ArchiveTargets.digest(back) == sha256 else {
            throw ArchiveError.targetUnavailable(name, "the copy of \(sha256.prefix(12)) read back differs")
        }
    }

    func read(_ sha256: String) async throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(of: sha256).path) else { throw ArchiveError.missing(name, sha256) }
        return try sealing.open(Array(data), sha256: sha256, target: name)
    }

    func isWritable() async -> Bool {
        let probe = root.appendingPathComponent(".probe-\(UUID().uuidString.prefix(8))")
        guard (try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)) != nil,
            FileManager.default.createFile(atPath: probe.path, contents: Data("ok".utf8))
        else { return false }
        try? FileManager.default.removeItem(at: probe)
        return true
    }

    func bytesUsed() async -> Int64? {
        var used: Int64 = 0
        if let files = FileManager.default.enumerator(at: root.appendingPathComponent("sha256"), includingPropertiesForKeys: [.fileSizeKey]) {
            for case let file as URL in files { used += Int64((try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
        }
        return used
    }
}

enum ArchiveError: Error, CustomStringConvertible {
    case configuration(String)
    case targetUnavailable(String, String)
    case missing(String, String)
    /// The copy is there but does not open with the key: altered, or sealed under another key.
    case unreadable(String, String)

    var description: String {
        switch self {
        case let .configuration(detail): "Archive configuration: \(detail)."
        case let .targetUnavailable(name, detail): "Target '\(name)' is unavailable: \(detail)."
        case let .missing(name, sha256): "Target '\(name)' has no copy of \(sha256.prefix(12))."
        case let .unreadable(name, sha256):
            "The copy of \(sha256.prefix(12)) on target '\(name)' does not open with KK_ARCHIVE_KEY_FILE's key (altered, or sealed under another key)."
        }
    }
}
