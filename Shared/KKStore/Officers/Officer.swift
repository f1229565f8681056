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

    public init(username: String, fullName: String, nip: String, role: Role, active: Bool) {
        self.username = username
        self.fullName = fullName
        self.nip = nip
        self.role = role
        self.active = active
    }

    public var actor: Actor { Actor(role: role, id: username) }

    /// The roles an officer account can have: the SOP's four and the system
    /// administrator (applicants and the system are not officers).
    public static let officerRoles: [Role] = [.serviceOfficer, .verifier, .headOfDepartment, .printOfficer, .admin]

    /// Roles given or taken only with a second administrator's approval: the
    /// Kepala Dinas signs for the office, an administrator manages officers.
    public static let privilegedRoles: Set<Role> = [.headOfDepartment, .admin]
}
