import Foundation

/// Reads a password from a file or standard input; never from the command line,
/// where other users could read it in the process list.
public enum PasswordInput {
    public static func read(file: String?, prompt: String) throws -> String {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIFailure("Berkas kata sandi '\(file)' tidak dapat dibaca.")
            }
            return text.trimmingCharacters(in: .newlines)
        }
        if isatty(STDIN_FILENO) == 1 {
            FileHandle.standardError.write(Data(prompt.utf8))
            guard let pass = getpass("") else { throw CLIFailure("Kata sandi tidak terbaca.") }
            return String(cString: pass)
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw CLIFailure("Kata sandi tidak diberikan: kirim lewat standar input atau --password-file.")
        }
        return line
    }
}
