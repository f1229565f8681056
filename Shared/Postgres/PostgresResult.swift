import CLibPQ

/// Owns a libpq result; freed when the last row referring to it is gone.
/// A finished PGresult is immutable, so reading it from any thread is safe.
final class ResultStorage: @unchecked Sendable {
    let raw: OpaquePointer
    let columnIndex: [String: Int32]
    let query: String

    init(_ raw: OpaquePointer, query: String) {
        self.raw = raw
        self.query = query
        var index: [String: Int32] = [:]
        for i in 0..<PQnfields(raw) {
            index[String(cString: PQfname(raw, i))] = i
        }
        self.columnIndex = index
    }

    deinit { PQclear(raw) }
}

/// The rows a statement returned, and how many rows it changed.
public struct PostgresResult: Sendable {
    public let rows: [PostgresRow]
    /// Rows inserted, updated or deleted (PQcmdTuples), 0 for other statements.
    public let affectedRows: Int

    init(storage: ResultStorage) {
        let count = Int(PQntuples(storage.raw))
        rows = (0..<count).map { PostgresRow(storage: storage, index: Int32($0)) }
        affectedRows = Int(String(cString: PQcmdTuples(storage.raw))) ?? 0
    }
}

/// One row of a result; decode columns by name or position.
public struct PostgresRow: Sendable {
    let storage: ResultStorage
    let index: Int32

    public var columnCount: Int { Int(PQnfields(storage.raw)) }

    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard let position = storage.columnIndex[column] else {
            throw PostgresError(kind: .decoding, message: "the result has no column '\(column)'", query: storage.query)
        }
        return try decode(at: position, name: column)
    }

    public func decode<T: PostgresDecodable>(_ position: Int, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard position >= 0, position < columnCount else {
            throw PostgresError(kind: .decoding, message: "the result has no column \(position)", query: storage.query)
        }
        return try decode(at: Int32(position), name: String(cString: PQfname(storage.raw, Int32(position))))
    }

    /// Decodes the leading columns into a tuple: `let (id, name) = try row.decode((UUID, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws(PostgresError) -> (repeat each T) {
        var position = 0
        func next<V: PostgresDecodable>(_: V.Type) throws(PostgresError) -> V {
            defer { position += 1 }
            return try decode(position, as: V.self)
        }
        return (repeat try next((each T).self))
    }

    private func decode<T: PostgresDecodable>(at position: Int32, name: String) throws(PostgresError) -> T {
        let oid = UInt32(PQftype(storage.raw, position))
        do {
            if PQgetisnull(storage.raw, index, position) == 1 { return try T.decodeNull() }
            let value = UnsafeRawBufferPointer(
                start: PQgetvalue(storage.raw, index, position), count: Int(PQgetlength(storage.raw, index, position)))
            if PQfformat(storage.raw, position) == PostgresBind.Format.binary.rawValue { return try T(postgresBinary: value, oid: oid) }
            return try T(postgresText: String(decoding: value, as: UTF8.self), oid: oid)
        } catch {
            throw PostgresError(
                kind: .decoding, message: "column '\(name)' (type oid \(oid)) as \(T.self): \(error.reason)", query: storage.query)
        }
    }
}
