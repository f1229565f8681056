import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficers
import KKStore
import Postgres

/// The administrator's operations on officers, decided by `kk-admin serve`.
/// Giving or taking the Kepala Dinas' or an administrator's role, and a new
/// password for someone holding one, wait for a second administrator.
enum OfficerAdministration {
    static let allowed: Set<Role> = [.admin]
}

struct AddOfficer: OfficerOperation {
    static let name = "officer-add"
    static let allowed = OfficerAdministration.allowed
    let username: String
    let fullName: String
    let nip: String
    let role: Role
    let password: String

    func perform(_ call: OfficerCall) async throws -> String {
        try OfficerAccounts.validate(username: username, nip: nip, role: role)
        let hash = try OfficerAccounts.hash(password)
        guard OfficerChanges.needsApproval(from: nil, to: role) else {
            let officer = try await call.transaction(detail: "\(username) sebagai \(role.rawValue)") { tx in
                try await OfficerAccounts.insert(username: username, fullName: fullName, nip: nip, role: role, passwordHash: hash, in: tx)
            }
            return "Petugas \(officer.username) (\(officer.role.indonesianName)) terdaftar."
        }
        let id = try await call.transaction(detail: "\(username) sebagai \(role.rawValue), menunggu persetujuan") { tx in
            if try await OfficerAccounts.find(username, in: tx) != nil { throw OfficerError.alreadyExists(username: username) }
            return try await OfficerChanges.request(
                .add, username: username, fullName: fullName, nip: nip, role: role, passwordHash: hash, by: call.officer.username, in: tx)
        }
        return Self.waiting(id, "Pendaftaran \(username) sebagai \(role.indonesianName)")
    }

    static func waiting(_ id: Int64, _ what: String) -> String {
        "\(what) menunggu persetujuan admin kedua: perubahan #\(id) (`kk-admin officer approve \(id)` oleh admin lain)."
    }
}

struct ListOfficers: OfficerOperation {
    static let name = "officer-list"
    static let allowed = OfficerAdministration.allowed

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await tx.query("SELECT username, full_name, nip, role, active FROM officers ORDER BY role, username").rows.map { row in
                let o = try Officer(row: row)
                return "\(o.username)\t\(o.fullName)\t\(o.nip)\t\(o.role.indonesianName)\t\(o.active ? "aktif" : "nonaktif")"
            }
        }
    }
}

struct SetOfficerActive: OfficerOperation {
    static let name = "officer-active"
    static let allowed = OfficerAdministration.allowed
    let username: String
    let active: Bool

    /// How many requests the officer had taken went back to their queues.
    func perform(_ call: OfficerCall) async throws -> Int {
        try await call.transaction(detail: "\(username) \(active ? "diaktifkan" : "dinonaktifkan")") { tx in
            try await OfficerAccounts.setActive(username, active, in: tx)
        }
    }
}

struct SetOfficerRole: OfficerOperation {
    static let name = "officer-role"
    static let allowed = OfficerAdministration.allowed
    let username: String
    let role: Role

    func perform(_ call: OfficerCall) async throws -> String {
        try await call.transaction(detail: "\(username) menjadi \(role.rawValue)") { tx in
            let officer = try await OfficerAccounts.required(username, in: tx)
            guard OfficerChanges.needsApproval(from: officer.role, to: role) else {
                try await OfficerAccounts.setRole(username, role, in: tx)
                return "Petugas \(username) sekarang \(role.indonesianName)."
            }
            let id = try await OfficerChanges.request(.setRole, username: username, role: role, by: call.officer.username, in: tx)
            return AddOfficer.waiting(id, "Perubahan peran \(username) dari \(officer.role.indonesianName) menjadi \(role.indonesianName)")
        }
    }
}

struct ResetOfficerPassword: OfficerOperation {
    static let name = "officer-password"
    static let allowed = OfficerAdministration.allowed
    let username: String
    let password: String

    func perform(_ call: OfficerCall) async throws -> String {
        let hash = try OfficerAccounts.hash(password)
        return try await call.transaction(detail: username) { tx in
            let officer = try await OfficerAccounts.required(username, in: tx)
            guard Officer.privilegedRoles.contains(officer.role) else {
                try await OfficerAccounts.setPasswordHash(username, hash, in: tx)
                return "Kata sandi \(username) diperbarui."
            }
            let id = try await OfficerChanges.request(.resetPassword, username: username, passwordHash: hash, by: call.officer.username, in: tx)
            return AddOfficer.waiting(id, "Kata sandi baru untuk \(username) (\(officer.role.indonesianName))")
        }
    }
}

struct RevokeOfficerSessions: OfficerOperation {
    static let name = "officer-revoke"
    static let allowed = OfficerAdministration.allowed
    let username: String

    func perform(_ call: OfficerCall) async throws -> Int {
        try await call.transaction(detail: username) { try await OfficerAccounts.revokeSessions(of: username, in: $0) }
    }
}

struct PendingOfficerChanges: OfficerOperation {
    static let name = "officer-pending"
    static let allowed = OfficerAdministration.allowed

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { try await OfficerChanges.pending(in: $0).map(\.summary) }
    }
}

struct DecideOfficerChange: OfficerOperation {
    static let name = "officer-decide"
    static let allowed = OfficerAdministration.allowed
    let id: Int64
    let approve: Bool

    func perform(_ call: OfficerCall) async throws -> String {
        let change = try await call.transaction(detail: "#\(id) \(approve ? "disetujui" : "ditolak")") { tx in
            try await OfficerChanges.decide(id, approve: approve, by: call.officer.username, in: tx)
        }
        return "Perubahan #\(change.id) (\(change.summary.split(separator: "\t")[1])) \(approve ? "disetujui dan berlaku" : "ditolak")."
    }
}
