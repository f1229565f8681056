import Crypto
import Foundation
import Hex

/// One schema change: a numbered SQL file.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The SHA-256 of the SQL, recorded so a changed file is noticed.
    public var checksum: String {
        SHA256.hash(data: Array(sql.utf8)).hexEncoded
    }
}

/// Loading migrations from a folder of `NNNN_name.sql` files.
public enum Migrations {
    public static func load(directory: URL) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError.unreadableDirectory(directory.path)
        }
        var byVersion: [Int: Migration] = [:]
        for file in files.sorted() where file.hasSuffix(".sql") {
            guard let match = file.wholeMatch(of: /([0-9]{4})_([a-z0-9_]+)\.sql/), let version = Int(match.1) else {
                throw MigrationError.badFileName(file)
            }
            if let existing = byVersion[version] { throw MigrationError.duplicateVersion(version, existing.name, file) }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            byVersion[version] = Migration(version: version, name: String(match.2), sql: sql)
        }
        return byVersion.values.sorted { $0.version < $1.version }
    }
}

public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableDirectory(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case checksumChanged(version: Int, name: String)

    public var description: String {
        switch self {
        case let .unreadableDirectory(path): "The migrations folder \(path) cannot be read."
        case let .badFileName(file): "Migration file '\(file)' must be named NNNN_lowercase_name.sql."
        case let .duplicateVersion(v, a, b): "Two migrations have number \(v): \(a) and \(b); renumber one."
        case let .checksumChanged(v, name):
            "Migration \(String(format: "%04d", v))_\(name).sql was changed after it was applied. Restore the file and add a new migration instead."
        }
    }
}
