import Foundation
import Postgres
import Testing

@Suite("Binds and types on the real PostgreSQL")
struct BindingTests {
    @Test(
        "hostile strings round-trip unchanged through binds, and nothing is executed",
        arguments: [
            "O'Brien", "Ma'ruf Amin", "Nur'aini", "'; DROP TABLE names; --", "\\x00 backslash \\", "$1 $2 literal",
            "emoji 👨‍👩‍👧‍👦 keluarga", "Đặng Thị Ngọc", "   spasi   ", "", "\"double\" quotes", "line\nbreak\ttab",
        ])
    func hostileStrings(_ text: String) async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        try await connection.execute("CREATE TABLE names (id serial PRIMARY KEY, name text NOT NULL)")
        try await connection.execute("INSERT INTO names (name) VALUES (\(text))")
        let rows = try await connection.query("SELECT name FROM names WHERE name = \(text)").rows
        #expect(rows.count == 1)
        #expect(try rows.first?.decode("name", as: String.self) == text)
        // The table is still there: nothing in the value was run as SQL.
        let count = try await connection.query("SELECT count(*)::bigint AS n FROM names").rows[0].decode("n", as: Int64.self)
        #expect(count == 1)
        await connection.close()
    }

    @Test("a text[] bind keeps every element as it is (quotes, backslashes, commas, braces, NULL as a word, empty) and matches with = ANY")
    func textArray() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        let values = ["needs_officer", "a \"quoted\" word", "back\\slash\\", "comma, and {braces}", "NULL", "", "Nur'aini 👪"]
        let rows = try await connection.query("SELECT unnest(\(PostgresTextArray(values))) AS v").rows
        #expect(try rows.map { try $0.decode("v", as: String.self) } == values)
        try await connection.execute("CREATE TABLE deliveries (id serial PRIMARY KEY, state text NOT NULL)")
        for state in ["sending", "retrying", "delivered", "in_doubt"] { try await connection.execute("INSERT INTO deliveries (state) VALUES (\(state))") }
        let awaiting = try await connection.query(
            "SELECT count(*)::bigint AS n FROM deliveries WHERE state = ANY(\(PostgresTextArray(["sending", "retrying"])))"
        ).rows[0].decode("n", as: Int64.self)
        #expect(awaiting == 2)
        let none = try await connection.query("SELECT count(*)::bigint AS n FROM deliveries WHERE state = ANY(\(PostgresTextArray([String]())))").rows
        #expect(try none[0].decode("n", as: Int64.self) == 0)
        await connection.close()
    }

    @Test("a text value with a NUL is refused whole (22021), never stored cut short at the NUL")
    func nulInText() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        try await connection.execute("CREATE TABLE ids (id text PRIMARY KEY)")
        await #expect(throws: PostgresError.self) { try await connection.execute("INSERT INTO ids (id) VALUES (\("wamid.nul\u{0}x"))") }
        do {
            try await connection.execute("INSERT INTO ids (id) VALUES (\("wamid.nul\u{0}x"))")
        } catch let error as PostgresError {
            #expect(error.sqlState == "22021" && error.description.contains("NUL"), "\(error)")
        }
        #expect(try await connection.query("SELECT count(*)::bigint AS n FROM ids").rows[0].decode("n", as: Int64.self) == 0)
        // The value without the NUL is another value, and is stored.
        try await connection.execute("INSERT INTO ids (id) VALUES (\("wamid.nul"))")
        #expect(try await connection.query("SELECT count(*)::bigint AS n FROM ids").rows[0].decode("n", as: Int64.self) == 1)
        await connection.close()
    }

    @Test("a 5 MB bytea round-trips byte for byte")
    func largeBytea() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        try await connection.execute("CREATE TABLE blobs (id int PRIMARY KEY, data bytea NOT NULL)")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(5 * 1024 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try await connection.execute("INSERT INTO blobs VALUES (1, \(bytes))")
        let back = try await connection.query("SELECT data, octet_length(data) AS n FROM blobs WHERE id = 1").rows[0]
        #expect(try back.decode("n", as: Int64.self) == 5 * 1024 * 1024)
        #expect(try back.decode("data", as: [UInt8].self) == bytes)
        #expect(try back.decode("data", as: Data.self) == Data(bytes))
        await connection.close()
    }

    @Test("every supported type round-trips, NULL decodes as nil")
    func typesRoundTrip() async throws {
        let connection = try await PostgresConnection.connect(url: try await TestDatabase.fresh(), logger: TestDatabase.logger)
        let id = UUID()
        let time = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) + 0.123456)  // microseconds survive
        let row = try await connection.query(
            """
            SELECT \(42)::int8 AS i8, \(Int32(-7))::int4 AS i4, \(Int16(3))::int2 AS i2, \(true) AS yes, \(false) AS no,
                   \(3.25) AS d, \(id) AS u, \(time) AS t, \([UInt8]([0, 1, 255])) AS b,
                   \(PostgresJSONB(json: "{\"nama\":\"Nur'aini\",\"anak\":[1,2]}")) AS j, \(nil as String?) AS nothing,
                   \("Kasihan") AS s
            """
        ).rows[0]
        #expect(try row.decode("i8", as: Int.self) == 42)
        #expect(try row.decode("i4", as: Int32.self) == -7)
        #expect(try row.decode("i2", as: Int16.self) == 3)
        #expect(try row.decode("yes", as: Bool.self) == true)
        #expect(try row.decode("no", as: Bool.self) == false)
        #expect(try row.decode("d", as: Double.self) == 3.25)
        #expect(try row.decode("u", as: UUID.self) == id)
        let decodedTime = try row.decode("t", as: Date.self)
        #expect(abs(decodedTime.timeIntervalSince1970 - time.timeIntervalSince1970) < 0.000_001)
        #expect(try row.decode("b", as: [UInt8].self) == [0, 1, 255])
        let json = try row.decode("j", as: String.self)
        #expect(json.contains("\"nama\": \"Nur'aini\""))
        #expect(try row.decode("nothing", as: String?.self) == nil)
        #expect(try row.decode("s", as: String?.self) == "Kasihan")
        let (i8, text) = try row.decode((Int, Int32).self) as (Int, Int32)
        #expect(i8 == 42 && text == -7)
        await connection.close()
    }

    @Test("decoding errors name the column, the Swift type and the Postgres type")
    func decodingErrors() async throws {
        let connection = try await PostgresConnection.connect(url: TestDatabase.url, logger: TestDatabase.logger)
        let row = try await connection.query("SELECT 'abc'::text AS word, NULL::int AS missing").rows[0]
        #expect(throws: PostgresError.self) { try row.decode("word", as: Int.self) }
        do {
            _ = try row.decode("missing", as: Int.self)
            Issue.record("NULL decoded as a non-optional Int")
        } catch {
            #expect(error.description.contains("'missing'"))
            #expect(error.description.contains("Optional"))
        }
        #expect(throws: PostgresError.self) { try row.decode("nope", as: String.self) }
        await connection.close()
    }
}
