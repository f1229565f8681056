import CDispatch
import Foundation

/// Where an officer's session token lives on their own machine: one file per
/// OS user (`~/.config/kk/session` of the user's home from the password
/// database, or `KK_SESSION_FILE`), created 0600 in one step and refused
/// when anyone else could read or replace it.
public enum SessionTokenFile {
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["KK_SESSION_FILE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: homeOfCurrentUser()).appendingPathComponent(".config/kk/session")
    }

    /// The saved token, nil when there is none.
    public static func read(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let file = path(environment: environment)
        var info = stat()
        guard stat(file.path, &info) == 0 else { return nil }
        guard info.st_uid == geteuid(), info.st_mode & 0o077 == 0 else {
            throw CLIFailure(
                "Berkas sesi \(file.path) dapat dibaca atau diubah pengguna lain, jadi tidak dipakai. "
                    + "Hapus berkas itu, lalu jalankan `login` lagi.")
        }
        let token = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Writes the token atomically: a new 0600 file beside the old one, then renamed over it.
    public static func write(_ token: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let file = path(environment: environment)
        let folder = file.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIFailure("Folder sesi \(folder.path) tidak dapat dibuat; periksa izinnya atau atur KK_SESSION_FILE. (\(error.localizedDescription))")
        }
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString.prefix(8))")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIFailure(
                "Sesi tidak dapat disimpan di \(folder.path) (\(String(cString: strerror(errno)))); periksa izin folder itu atau atur KK_SESSION_FILE.")
        }
        let bytes = Array(token.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0, rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            throw CLIFailure("Sesi tidak dapat disimpan di \(file.path) (\(String(cString: strerror(errno)))).")
        }
    }

    public static func remove(environment: [String: String] = ProcessInfo.processInfo.environment) {
        unlink(path(environment: environment).path)
    }

    /// The home folder of the user running this process, from the password
    /// database rather than `$HOME`, which a shared shell may point elsewhere.
    static func homeOfCurrentUser() -> String {
        if let entry = getpwuid(geteuid()), let home = entry.pointee.pw_dir { return String(cString: home) }
        return NSHomeDirectory()
    }
}
