import Foundation
import Hex

/// A Swift type a result column (in text format) can be decoded into.
public protocol PostgresDecodable: Sendable {
    /// Decodes the column's text; `oid` is the column's type.
    init(postgresText text: String, oid: UInt32) throws(PostgresDecodingFailure)
    /// Decodes the column's binary form (a query run as `.binaryResults`); `oid` is the column's type.
    init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure)
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

    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        throw PostgresDecodingFailure("\(Self.self) has no binary decoder; run the query without `.binaryResults`")
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
        guard text.hasPrefix("\\x"), text.utf8.count % 2 == 0 else {
            throw PostgresDecodingFailure("bytea is not in hex format (set bytea_output = 'hex')")
        }
        guard let bytes = [UInt8](hexDigits: text.utf8.dropFirst(2)) else {
            throw PostgresDecodingFailure("bytea contains a non-hex digit")
        }
        self = bytes
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

    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        self = .some(try Wrapped(postgresBinary: bytes, oid: oid))
    }

    public static func decodeNull() throws(PostgresDecodingFailure) -> Self { .none }
}
