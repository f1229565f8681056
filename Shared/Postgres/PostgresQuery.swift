/// SQL with its parameters. Interpolated values become `$n` placeholders with
/// binds; they are never written into the SQL text. Raw SQL (an identifier,
/// a fixed clause) needs the explicit `\(unescaped: ...)`.
///
///     let rows = try await pool.query("SELECT * FROM officers WHERE username = \(name)")
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [PostgresBind]
    /// The format the server sends the rows in: text unless asked (see `binaryResults`).
    public private(set) var resultFormat: PostgresBind.Format = .text

    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// `query`, with its rows sent in binary format: a bytea column arrives as its bytes
    /// rather than as hex text twice its size, a uuid in 16 bytes, a time as an integer.
    /// For hot reads of files and messages. Every column must be of a type with a binary
    /// decoder (text, json and jsonb, integers, floats, bool, uuid, timestamptz, bytea);
    /// another fails to decode, naming the column.
    ///
    ///     let rows = try await tx.query(.binaryResults("SELECT bytes FROM media WHERE id = \(id)"))
    public static func binaryResults(_ query: PostgresQuery) -> PostgresQuery {
        var query = query
        query.resultFormat = .binary
        return query
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value, bound as the next `$n` parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// An optional value: NULL when nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// Raw SQL, copied as is. Never pass user input here.
        public mutating func appendInterpolation(unescaped sql: String) {
            self.sql += sql
        }
    }
}
