import Foundation
import KKStore

extension DocumentFile {
    /// Writes the files into `directory` (created when missing); returns their paths.
    /// Names may hold subfolders (`kk/KK-....pdf`) but are checked, so a file can
    /// only land inside `directory`: no absolute path, no `..`, no hidden name.
    public static func write(_ files: [DocumentFile], to directory: String) throws -> [String] {
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try files.map { file in
            let parts = file.name.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.name.isEmpty, parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else {
                throw CLIFailure("Nama berkas '\(file.name)' dari layanan tidak sah; berkas tidak disimpan.")
            }
            let url = folder.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.bytes.write(to: url, options: .atomic)
            return url.path
        }
    }
}
