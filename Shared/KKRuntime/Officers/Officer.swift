import KKDomain

/// An officer of the Disdukcapil office, with the SOP role that decides what
/// they may do.
public struct Officer: Sendable, Equatable {
    public let username: String
    public let fullName: String
    /// Nomor Induk Pegawai: the 18-digit civil-servant number.
    public let nip: String
    public let role: Role
    public let active: Bool

    public var actor: Actor { Actor(role: role, id: username) }

    /// The SOP roles an officer can have (applicants and the system are not officers).
    public static let officerRoles: [Role] = [.serviceOfficer, .verifier, .headOfDepartment, .printOfficer]
}
