import KKDomain
import KKOfficers
import KKStore
import Postgres
import Synchronization

/// Test officers, their passwords hashed at the services' own scrypt parameters once per
/// test process: a hash costs about a second and every stack adds five officers.
package enum TestOfficers {
    private static let hashes = Mutex<[String: String]>([:])

    @discardableResult
    package static func add(username: String, fullName: String, nip: String, role: Role, password: String, pool: PostgresPool) async throws -> Officer {
        let known = hashes.withLock { $0[password] }
        let hash = try known ?? OfficerAccounts.hash(password)
        hashes.withLock { $0[password] = hash }
        return try await pool.withTransaction {
            try await OfficerAccounts.insert(username: username, fullName: fullName, nip: nip, role: role, passwordHash: hash, in: $0)
        }
    }
}
