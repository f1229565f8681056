import Foundation
import Postgres
import Testing

@Suite("Rows in binary format (.binaryResults), on the real PostgreSQL")
struct BinaryResultTests {
    @Test(
        "every type with a binary decoder reads the same in binary as in text: bytea of every byte, uuid, times before and after 2000, integers at their limits, floats, bool, text, jsonb, NULL"
    )
    func sameAsText() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        let bytes = (0..<1024).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let uuid = UUID()
        // Times derived from now, with microseconds: one 60 years back (before PostgreSQL's epoch), one after it.
        let now = (Date().timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000
        let later = Date(timeIntervalSince1970: now + 0.000_123)
        let earlier = Date(timeIntervalSince1970: now - 60 * 365.25 * 86_400 - 0.987_654)
        let sql = """
            SELECT \(bytes)::bytea AS b, \(uuid)::uuid AS u, \(earlier)::timestamptz AS earlier, \(later)::timestamptz AS later,
                (-32768)::int2 AS i2, 2147483647::int4 AS i4, (-9223372036854775808)::int8 AS i8, 1.5::float8 AS d, 2.25::float4 AS f,
                true AS yes, false AS no, \("Kepala keluarga ✓ 👪")::text AS t, \("SITI")::varchar AS v, '{"nik": "3201", "n": [1, 2]}'::jsonb AS j,
                NULL::bytea AS nothing
            """ as PostgresQuery
        let text = try await connection.query(sql).rows[0]
        let binary = try await connection.query(.binaryResults(sql)).rows[0]

        #expect(try binary.decode("b", as: [UInt8].self) == bytes)
        #expect(try text.decode("b", as: [UInt8].self) == bytes)
        #expect(try binary.decode("u", as: UUID.self) == uuid)
        for column in ["earlier", "later"] {
            let fromBinary = try binary.decode(column, as: Date.self)
            #expect(fromBinary == (try text.decode(column, as: Date.self)), "\(column)")
        }
        #expect(abs(try binary.decode("earlier", as: Date.self).timeIntervalSince(earlier)) < 0.000_001)
        #expect(abs(try binary.decode("later", as: Date.self).timeIntervalSince(later)) < 0.000_001)
        #expect(try binary.decode("i2", as: Int16.self) == .min)
        #expect(try binary.decode("i4", as: Int32.self) == .max)
        #expect(try binary.decode("i8", as: Int64.self) == .min)
        #expect(try binary.decode("i4", as: Int.self) == (try text.decode("i4", as: Int.self)))
        #expect(try binary.decode("d", as: Double.self) == 1.5)
        #expect(try binary.decode("f", as: Double.self) == 2.25)
        #expect(try binary.decode("yes", as: Bool.self) && !(try binary.decode("no", as: Bool.self)))
        for column in ["t", "v", "j"] {
            #expect(try binary.decode(column, as: String.self) == (try text.decode(column, as: String.self)), "\(column)")
        }
        #expect(try binary.decode("nothing", as: [UInt8]?.self) == nil)
        #expect(try binary.decode("b", as: [UInt8]?.self) == bytes)
        await connection.close()
    }

    @Test("a column read as a type its binary form is not is refused, naming the column and what to do; narrowing that would lose digits is refused")
    func mismatchNamed() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        let row = try await connection.query(.binaryResults("SELECT 1.5::numeric AS amount, 70000::int4 AS big, now() AS at")).rows[0]
        let numeric = #expect(throws: PostgresError.self) { try row.decode("amount", as: Double.self) }
        #expect(numeric?.message.contains("column 'amount'") == true && numeric?.message.contains("float4 or float8") == true, "\(String(describing: numeric))")
        let asText = #expect(throws: PostgresError.self) { try row.decode("at", as: String.self) }
        #expect(asText?.message.contains("cast the column to text") == true, "\(String(describing: asText))")
        let narrowed = #expect(throws: PostgresError.self) { try row.decode("big", as: Int16.self) }
        #expect(narrowed?.message.contains("70000") == true, "\(String(describing: narrowed))")
        // The same statement in text format reads every column.
        let textRow = try await connection.query("SELECT 1.5::numeric AS amount, 70000::int4 AS big, now() AS at").rows[0]
        #expect(try textRow.decode("amount", as: Double.self) == 1.5)
        await connection.close()
    }
}
