/// Why a member joins a family (SOP 3: "add a member").
public enum AdditionReason: String, Codable, CaseIterable, Sendable {
    case birth = "kelahiran"
    case movingIn = "pindah_datang"

    public var indonesianName: String { self == .birth ? "kelahiran" : "pindah datang" }
}

/// Why a member leaves a family (SOP 3: "remove a member").
public enum RemovalReason: String, Codable, CaseIterable, Sendable {
    case death = "kematian"
    case movingOut = "pindah_keluar"

    public var indonesianName: String { self == .death ? "kematian" : "pindah keluar" }
}
