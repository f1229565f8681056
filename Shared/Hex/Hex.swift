/// Lower-case hexadecimal text of bytes: SHA-256 digests, HMACs, token hashes.
/// The one encoder of the project (it was written out in every place that
/// needed it, each a `String(format:)` per byte).
extension Sequence where Element == UInt8 {
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
