import Foundation

// The binary forms of the column types the wrapper reads (PostgreSQL's `*send` functions):
// integers and floats big-endian, a uuid in its 16 bytes, a timestamp as microseconds
// since 2000-01-01 UTC, bytea and text as their bytes, jsonb as a version byte and text.

extension String {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        switch oid {
        case PostgresOID.jsonb:
            guard bytes.first == 1 else { throw PostgresDecodingFailure("jsonb in an unknown binary version \(bytes.first ?? 0)") }
            self = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        case PostgresOID.text, PostgresOID.varchar, PostgresOID.json, PostgresOID.bpchar, PostgresOID.name, PostgresOID.unknown:
            self = String(decoding: bytes, as: UTF8.self)
        default:
            throw PostgresDecodingFailure("type oid \(oid) is not text in binary format; cast the column to text or drop `.binaryResults`")
        }
    }
}

extension Int {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        self = Int(try PostgresBinary.integer(bytes, oid: oid))
    }
}

extension Int64 {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        self = try PostgresBinary.integer(bytes, oid: oid)
    }
}

extension Int32 {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        let value = try PostgresBinary.integer(bytes, oid: oid)
        guard let narrow = Int32(exactly: value) else { throw PostgresDecodingFailure("\(value) is not a 32-bit integer") }
        self = narrow
    }
}

extension Int16 {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        let value = try PostgresBinary.integer(bytes, oid: oid)
        guard let narrow = Int16(exactly: value) else { throw PostgresDecodingFailure("\(value) is not a 16-bit integer") }
        self = narrow
    }
}

extension Bool {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        guard oid == PostgresOID.bool, bytes.count == 1 else { throw PostgresBinary.mismatch(oid: oid, count: bytes.count, as: "a boolean") }
        self = bytes[0] != 0
    }
}

extension Double {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        switch (oid, bytes.count) {
        case (PostgresOID.float8, 8): self = Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)))
        case (PostgresOID.float4, 4): self = Double(Float(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))))
        default:
            // numeric's binary form is base-10000 digits; read it as text (or cast it to float8).
            throw PostgresBinary.mismatch(oid: oid, count: bytes.count, as: "a float4 or float8")
        }
    }
}

extension UUID {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        guard oid == PostgresOID.uuid, bytes.count == 16 else { throw PostgresBinary.mismatch(oid: oid, count: bytes.count, as: "a uuid") }
        self = UUID(uuid: bytes.loadUnaligned(as: uuid_t.self))
    }
}

extension Date {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) {
        guard oid == PostgresOID.timestamptz || oid == PostgresOID.timestamp, bytes.count == 8 else {
            throw PostgresBinary.mismatch(oid: oid, count: bytes.count, as: "a timestamptz")
        }
        let micros = Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
        // ±infinity are the extremes of the range; no Date stands for them.
        guard micros != .max, micros != .min else { throw PostgresDecodingFailure("the timestamp is infinite") }
        let (seconds, fraction) = micros.quotientAndRemainder(dividingBy: 1_000_000)
        self = Date(timeIntervalSince1970: Double(PostgresBinary.epoch2000 + seconds) + Double(fraction) / 1_000_000)
    }
}

extension Array where Element == UInt8 {
    /// bytea as its bytes; any other type as its binary form, as is.
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) {
        self = Array(bytes)
    }
}

extension Data {
    public init(postgresBinary bytes: UnsafeRawBufferPointer, oid: UInt32) {
        self = Data(bytes)
    }
}

/// Helpers for the binary forms.
enum PostgresBinary {
    /// 2000-01-01 00:00:00 UTC, PostgreSQL's epoch, in Unix seconds.
    static let epoch2000: Int64 = 946_684_800

    /// An int2, int4 or int8, widened.
    static func integer(_ bytes: UnsafeRawBufferPointer, oid: UInt32) throws(PostgresDecodingFailure) -> Int64 {
        switch (oid, bytes.count) {
        case (PostgresOID.int2, 2): Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self)))
        case (PostgresOID.int4, 4): Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
        case (PostgresOID.int8, 8): Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
        default: throw mismatch(oid: oid, count: bytes.count, as: "an integer")
        }
    }

    static func mismatch(oid: UInt32, count: Int, as wanted: String) -> PostgresDecodingFailure {
        PostgresDecodingFailure("type oid \(oid) (\(count) bytes in binary format) is not \(wanted)")
    }
}
