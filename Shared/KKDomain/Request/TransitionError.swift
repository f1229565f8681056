/// Why a transition was refused. Officers read these, so they are in
/// Indonesian and say where the request is and who acts next.
public enum TransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The action is not possible in this state.
    case illegalAction(RequestAction, state: RequestState, allowed: [RequestAction], nextActors: [Role])
    /// The action exists here, but not for this role.
    case roleNotAllowed(RequestAction, role: Role, allowedRoles: [Role])
    /// The verifier is the officer who prepared the data.
    case fourEyesViolation(officer: String)
    /// The SOP: a lost KK has no data-entry step.
    case noDataEntryForLostKK

    public var description: String {
        switch self {
        case let .illegalAction(action, state, allowed, nextActors):
            let next = nextActors.isEmpty ? "tidak ada (permohonan sudah selesai)" : nextActors.map(\.indonesianName).joined(separator: ", ")
            let options = allowed.isEmpty ? "tidak ada" : allowed.map(\.indonesianName).joined(separator: ", ")
            return "Tidak dapat \(action.indonesianName): permohonan sedang berstatus \"\(state.indonesianName)\". "
                + "Tindakan yang mungkin: \(options). Yang dapat bertindak selanjutnya: \(next)."
        case let .roleNotAllowed(action, role, allowedRoles):
            return
                "\(role.indonesianName) tidak berwenang \(action.indonesianName); hanya \(allowedRoles.map(\.indonesianName).joined(separator: " atau ")) yang boleh."
        case let .fourEyesViolation(officer):
            return
                "Verifikasi ditolak: petugas '\(officer)' pernah mengentri atau mengajukan data permohonan ini (juga sebelum dikembalikan), jadi tidak boleh memverifikasinya (prinsip empat mata). Minta Kasi/Kabid lain."
        case .noDataEntryForLostKK:
            return "Permohonan KK Hilang tidak memiliki tahap entri data (sesuai SOP); langsung ajukan permohonan cetak dengan data keluarga yang ada."
        }
    }
}
