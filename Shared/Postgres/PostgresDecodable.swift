import Foundation

/// A Swift type a result column (in text format) can be decoded into.
public protocol PostgresDecodable: Sendable {
    /// Decodes the column's text; `oid` is the column's type.
    init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure)
    /// The value for SQL NULL; only `Optional` has one.
    static func decodeNull() throws(PostgresDecodingFailure) -> Self
}

/// Why one value could not be decoded (the row adds the column's name).
public struct PostgresDecodingFailure: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension PostgresDecodable {
    public static func decodeNull() throws(PostgresDecodingFailure) -> Self {
        throw PostgresDecodingFailure("the value is NULL; decode as Optional<\(Self.self)>")
    }
}

extension String: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) { self = text }
}

extension Int: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard let value = Int(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not an integer") }
        self = value
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard let value = Int64(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a 64-bit integer") }
        self = value
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard let value = Int32(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a 32-bit integer") }
        self = value
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard let value = Int16(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a 16-bit integer") }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresDecodingFailure("'\(text.prefix(40))' is not a boolean")
        }
    }
}

extension Double: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a number") }
            self = value
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard let value = UUID(uuidString: text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a uuid") }
        self = value
    }
}

extension Date: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard let value = PostgresTimestamp.parse(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a timestamptz") }
        self = value
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// bytea in the server's hex output format (`\x0a0b...`).
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        guard oid == PostgresOID.bytea else {
            self = Array(text.utf8)
            return
        }
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresDecodingFailure("bytea is not in hex format (set bytea_output = 'hex')")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            guard let high = hexValue(utf8[i]), let low = hexValue(utf8[i + 1]) else {
                throw PostgresDecodingFailure("bytea contains a non-hex digit")
            }
            bytes.append(high << 4 | low)
            i += 2
        }
        self = bytes
    }
}

@inline(__always)
private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: c - 48
    case 97...102: c - 87
    case 65...70: c - 55
    default: nil
    }
}

extension Data: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        self = Data(try [UInt8](postgresText: text, oid: oid))
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure) {
        self = .some(try Wrapped(postgresText: text, oid: oid))
    }

    public static func decodeNull() throws(PostgresDecodingFailure) -> Self { .none }
}
