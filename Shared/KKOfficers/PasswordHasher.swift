import Crypto
import Foundation
import _CryptoExtras

/// Officer passwords, hashed with scrypt (a slow, memory-hard KDF) and a random
/// salt, stored as `scrypt$N$r$p$salt-base64$hash-base64` so parameters can be
/// raised later without breaking existing hashes.
public enum PasswordHasher {
    public struct Parameters: Sendable, Equatable {
        public var rounds: Int
        public var blockSize: Int
        public var parallelism: Int

        public init(rounds: Int, blockSize: Int, parallelism: Int) {
            self.rounds = rounds
            self.blockSize = blockSize
            self.parallelism = parallelism
        }

        /// N=2^17, r=8, p=1: 128 MiB and about half a second per sign-in
        /// (OWASP's scrypt minimum; older hashes are raised to it on the next sign-in).
        public static let standard = Parameters(rounds: 1 << 17, blockSize: 8, parallelism: 1)

        /// The most a stored hash may ask for (1 GiB), so a damaged row cannot exhaust the server.
        static let largestRounds = 1 << 20
    }

    public static let minimumPasswordLength = 10

    public static func hash(_ password: String, parameters: Parameters = .standard) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let key = try derive(password, salt: salt, parameters: parameters)
        return [
            "scrypt", String(parameters.rounds), String(parameters.blockSize), String(parameters.parallelism),
            Data(salt).base64EncodedString(), Data(key).base64EncodedString(),
        ].joined(separator: "$")
    }

    /// Compares in constant time; false for a malformed stored hash.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard let parameters = parameters(of: stored), parameters.rounds <= Parameters.largestRounds,
            let salt = Data(base64Encoded: String(parts[4])), let expected = Data(base64Encoded: String(parts[5])),
            let actual = try? derive(password, salt: Array(salt), parameters: parameters)
        else { return false }
        guard actual.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(actual, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// The parameters a stored hash was made with, nil when it is not a scrypt hash of this format.
    public static func parameters(of stored: String) -> Parameters? {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
            n > 1, r > 0, p > 0
        else { return nil }
        return Parameters(rounds: n, blockSize: r, parallelism: p)
    }

    /// True when `stored` was made with weaker parameters than `target`: rehash it after a successful sign-in.
    public static func needsRehash(_ stored: String, target: Parameters = .standard) -> Bool {
        guard let current = parameters(of: stored) else { return true }
        return current.rounds < target.rounds || current.blockSize < target.blockSize || current.parallelism < target.parallelism
    }

    private static func derive(_ password: String, salt: [UInt8], parameters: Parameters) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32,
            rounds: parameters.rounds, blockSize: parameters.blockSize, parallelism: parameters.parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}
