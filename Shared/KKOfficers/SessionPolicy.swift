import Foundation
import KKConfiguration

/// How long an officer's session lives and when wrong passwords lock an
/// account; the services decide it, never the CLI.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `KK_SESSION_IDLE_MINUTES` | a session unused this long ends | 15 |
/// | `KK_SESSION_MAX_HOURS` | a session ends this long after sign-in, used or not | 8 |
/// | `KK_SIGNIN_MAX_FAILURES` | wrong passwords in a row before the account is locked | 5 |
/// | `KK_SIGNIN_LOCK_MINUTES` | how long the lock lasts | 15 |
public struct SessionPolicy: Sendable, Equatable {
    public var idleSeconds: Int
    public var absoluteSeconds: Int
    public var maxFailedSignIns: Int
    public var lockSeconds: Int

    public init(idleSeconds: Int = 15 * 60, absoluteSeconds: Int = 8 * 3600, maxFailedSignIns: Int = 5, lockSeconds: Int = 15 * 60) {
        self.idleSeconds = idleSeconds
        self.absoluteSeconds = absoluteSeconds
        self.maxFailedSignIns = maxFailedSignIns
        self.lockSeconds = lockSeconds
    }

    public static let standard = SessionPolicy()

    public init(reading environment: [String: String]) throws(ConfigurationError) {
        idleSeconds = try ServiceEnvironment.integer("KK_SESSION_IDLE_MINUTES", in: environment, default: 15, range: 1...24 * 60) * 60
        absoluteSeconds = try ServiceEnvironment.integer("KK_SESSION_MAX_HOURS", in: environment, default: 8, range: 1...24) * 3600
        maxFailedSignIns = try ServiceEnvironment.integer("KK_SIGNIN_MAX_FAILURES", in: environment, default: 5, range: 1...100)
        lockSeconds = try ServiceEnvironment.integer("KK_SIGNIN_LOCK_MINUTES", in: environment, default: 15, range: 1...24 * 60) * 60
    }
}
