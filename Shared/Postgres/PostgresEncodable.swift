import Foundation

/// A Swift value that can be bound as a query parameter.
public protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
}

extension String: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.text, text: self) }
}

extension Substring: PostgresEncodable {
    public var postgresBind: PostgresBind { String(self).postgresBind }
}

extension Int: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.int8, text: String(self)) }
}

extension Int64: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.int8, text: String(self)) }
}

extension Int32: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.int4, text: String(self)) }
}

extension Int16: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.int2, text: String(self)) }
}

extension Bool: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.bool, text: self ? "t" : "f") }
}

extension Double: PostgresEncodable {
    public var postgresBind: PostgresBind {
        let text = isNaN ? "NaN" : isInfinite ? (self < 0 ? "-Infinity" : "Infinity") : "\(self)"
        return PostgresBind(oid: PostgresOID.float8, text: text)
    }
}

extension UUID: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.uuid, text: uuidString) }
}

extension Date: PostgresEncodable {
    /// Sent as text with microseconds in UTC, e.g. `2026-11-24 03:04:05.123456+00`.
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.timestamptz, text: PostgresTimestamp.format(self)) }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// bytea, sent in binary format so large values are not doubled by hex encoding.
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.bytea, format: .binary, bytes: self) }
}

extension Data: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.bytea, format: .binary, bytes: Array(self)) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBind: PostgresBind {
        switch self {
        case .none: .null
        case let .some(value): value.postgresBind
        }
    }
}

/// A jsonb parameter from JSON text or any `Encodable` value.
public struct PostgresJSONB: PostgresEncodable {
    public let json: String

    public init(json: String) { self.json = json }

    public init<T: Encodable>(_ value: T, encoder: JSONEncoder = JSONEncoder()) throws {
        self.json = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public var postgresBind: PostgresBind { PostgresBind(oid: PostgresOID.jsonb, text: json) }
}

/// A text[] parameter, for `= ANY(...)`: one bind for a set of values (states,
/// kinds) instead of one per value.
public struct PostgresTextArray: PostgresEncodable {
    public let values: [String]

    public init(_ values: [String]) { self.values = values }

    public init<Value: RawRepresentable>(_ values: [Value]) where Value.RawValue == String {
        self.values = values.map(\.rawValue)
    }

    /// The array literal: every element quoted, with `"` and `\` escaped.
    public var postgresBind: PostgresBind {
        let elements = values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return PostgresBind(oid: PostgresOID.textArray, text: "{" + elements.joined(separator: ",") + "}")
    }
}
