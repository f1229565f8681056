/// A service that serves officers: its name, where its officer API listens by
/// default, and how a CLI finds it.
public struct OfficerService: Sendable, Equatable {
    /// The executable and audit name, e.g. `kk-intake`.
    public let name: String
    /// `KK_API_PORT` when unset.
    public let defaultAPIPort: Int

    public init(name: String, defaultAPIPort: Int) {
        self.name = name
        self.defaultAPIPort = defaultAPIPort
    }

    /// The path segment of its routes, `intake` in `/api/v1/intake/open`, so
    /// one ingress can serve every service under one host.
    public var pathSegment: String { name.hasPrefix("kk-") ? String(name.dropFirst(3)) : name }

    /// The variable a CLI reads for this service's URL, e.g. `KK_INTAKE_URL`.
    public var urlVariable: String { "KK_\(pathSegment.uppercased())_URL" }

    public static let intake = OfficerService(name: "kk-intake", defaultAPIPort: 9201)
    public static let entry = OfficerService(name: "kk-entry", defaultAPIPort: 9202)
    public static let verify = OfficerService(name: "kk-verify", defaultAPIPort: 9203)
    public static let sign = OfficerService(name: "kk-sign", defaultAPIPort: 9204)
    public static let deliver = OfficerService(name: "kk-deliver", defaultAPIPort: 9205)
    public static let archive = OfficerService(name: "kk-archive", defaultAPIPort: 9206)
    /// The administrators' API: officers, the register, dead letters, replay, audit.
    public static let admin = OfficerService(name: "kk-admin", defaultAPIPort: 9207)
}
