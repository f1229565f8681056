/// What a downloaded file really is, read from its first bytes: Meta passes on
/// whatever type the sender's phone declared, and a file declared as a photo can
/// be anything (an SVG with a script in it, an executable). Only the three
/// kinds an officer opens are stored: JPEG and PNG photos and PDF documents.
enum MediaContent {
    /// The MIME type of `bytes` when they are a JPEG, a PNG or a PDF; nil otherwise.
    static func sniff(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        // "%PDF-" within the first 1024 bytes, as PDF readers accept it.
        let pdf: [UInt8] = Array("%PDF-".utf8)
        let head = bytes.prefix(1024)
        if head.count >= pdf.count, (0...(head.count - pdf.count)).contains(where: { head.dropFirst($0).starts(with: pdf) }) {
            return "application/pdf"
        }
        return nil
    }
}
