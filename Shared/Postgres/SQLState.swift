/// The SQLSTATE codes and classes the project acts on, named as PostgreSQL's
/// Appendix A names them (https://www.postgresql.org/docs/current/errcodes-appendix.html).
public enum SQLState {
    // Codes.
    public static let serializationFailure = "40001"
    public static let deadlockDetected = "40P01"
    public static let uniqueViolation = "23505"
    public static let lockNotAvailable = "55P03"
    public static let undefinedTable = "42P01"
    public static let characterNotInRepertoire = "22021"
    /// Also "cached plan must not change result type": a prepared statement whose table changed.
    public static let featureNotSupported = "0A000"
    /// The server is shutting down or not accepting connections yet.
    public static let adminShutdown = "57P01"
    public static let crashShutdown = "57P02"
    public static let cannotConnectNow = "57P03"

    // Classes (the code's first two characters).
    public static let connectionExceptionClass = "08"
    public static let insufficientResourcesClass = "53"
    /// Shutdown, cannot connect now, statement_timeout (57014).
    public static let operatorInterventionClass = "57"
    public static let systemErrorClass = "58"
}

extension PostgresError {
    /// Whether the server's SQLSTATE is `code`.
    public func has(_ code: String) -> Bool { sqlState == code }

    /// Whether the server's SQLSTATE is in one of `classes` (e.g. `SQLState.insufficientResourcesClass`).
    public func isInClass(_ classes: String...) -> Bool {
        guard let sqlState else { return false }
        return classes.contains(String(sqlState.prefix(2)))
    }
}
