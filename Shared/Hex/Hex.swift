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

extension Array where Element == UInt8 {
    /// The bytes of hexadecimal text (either case); nil when it is not an even
    /// number of hexadecimal digits.
    public init?(hexEncoded text: some StringProtocol) {
        self.init(hexDigits: text.utf8)
    }

    /// The bytes of hexadecimal digits given as UTF-8 (a bytea's text, a header); nil
    /// when they are not an even number of hexadecimal digits.
    public init?(hexDigits digits: some Collection<UInt8>) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var iterator = digits.makeIterator()
        while let first = iterator.next() {
            guard let second = iterator.next(), let high = Self.value(of: first), let low = Self.value(of: second) else { return nil }
            bytes.append(high << 4 | low)
        }
        self = bytes
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
