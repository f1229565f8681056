/// The librdkafka the process is linked against, and the check that refuses
/// versions older than 2.10.
///
/// librdkafka 2.0.2 (Debian 12's) miscounts the bytes of tagged fields
/// (librdkafka PR #4278, fixed in 2.2.0), so it cannot finish the ApiVersions
/// handshake with brokers that send them; versions before 2.10 crash when a
/// topic they know is deleted and created again (a broker lost and brought
/// back empty). Every client checks this first.
public struct LibrdkafkaVersion: Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    /// The oldest version this project accepts.
    public static let minimum = LibrdkafkaVersion(major: 2, minor: 10, patch: 0)

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Decodes librdkafka's hex-encoded version integer (0xMMmmrrxx).
    public init(encoded: Int32) {
        let v = UInt32(bitPattern: encoded)
        self.init(major: Int((v >> 24) & 0xFF), minor: Int((v >> 16) & 0xFF), patch: Int((v >> 8) & 0xFF))
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    /// Throws `KafkaError.librdkafkaTooOld` unless `version` is at least `minimum`.
    public static func check(_ version: LibrdkafkaVersion = .linked) throws(KafkaError) {
        guard version >= minimum else {
            throw .librdkafkaTooOld(found: version.description, required: minimum.description)
        }
    }
}
