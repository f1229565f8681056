/// One bound parameter: its type oid, format and bytes (nil for NULL).
public struct PostgresBind: Sendable, Equatable {
    public enum Format: Int32, Sendable {
        case text = 0
        case binary = 1
    }

    /// The type oid; 0 lets the server infer it from the context.
    public let oid: UInt32
    public let format: Format
    public let bytes: [UInt8]?

    public init(oid: UInt32, format: Format = .text, bytes: [UInt8]?) {
        self.oid = oid
        self.format = format
        self.bytes = bytes
    }

    public init(oid: UInt32, text: String) {
        self.init(oid: oid, format: .text, bytes: Array(text.utf8))
    }

    public static let null = PostgresBind(oid: 0, bytes: nil)
}

/// Type oids used by the wrapper (pg_type.h).
public enum PostgresOID {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let unknown: UInt32 = 705
    public static let textArray: UInt32 = 1009
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
    public static let jsonb: UInt32 = 3802
}
