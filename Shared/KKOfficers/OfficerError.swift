import Foundation
import KKDomain
import KKStore

/// Why an officer's sign-in or command was refused. Officers read these, so
/// they are in Indonesian and say what to do next.
public enum OfficerError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongCredentials
    case inactive(username: String)
    case notSignedIn
    case sessionExpired
    case locked(until: Date)
    case roleNotAllowed(command: String, role: Role, allowed: [Role])
    case invalidUsername(String)
    case invalidNIP(String)
    case invalidRole(String)
    case weakPassword(minimumLength: Int)
    case alreadyExists(username: String)
    case unknownOfficer(username: String)
    case nipInUse(String)
    case ownChange(id: Int64)
    case changeNotPending(id: Int64)
    case administratorExists
    case productionInstallation(command: String)

    public var description: String {
        switch self {
        case .wrongCredentials:
            return "Nama pengguna atau kata sandi salah. Periksa kembali, atau minta admin mengatur ulang kata sandi (kk-admin officer reset-password)."
        case let .inactive(username):
            return "Akun petugas '\(username)' dinonaktifkan. Hubungi admin Disdukcapil untuk mengaktifkannya kembali."
        case .notSignedIn:
            return "Anda belum masuk. Jalankan perintah `login` terlebih dahulu, atau atur KK_OFFICER dan KK_OFFICER_PASSWORD_FILE."
        case let .locked(until):
            return "Akun dikunci sampai \(WIBTime.format(until)) karena kata sandi salah beberapa kali berturut-turut. "
                + "Coba lagi setelah itu, atau minta admin mengatur ulang kata sandi (kk-admin officer reset-password)."
        case .sessionExpired:
            return "Sesi Anda sudah berakhir. Jalankan perintah `login` lagi."
        case let .roleNotAllowed(command, role, allowed):
            let names = allowed.map(\.indonesianName).joined(separator: " atau ")
            return "Perintah '\(command)' hanya boleh dijalankan oleh \(names); Anda masuk sebagai \(role.indonesianName). Percobaan ini dicatat di log audit."
        case let .invalidUsername(name):
            return "Nama pengguna '\(name)' tidak sah: gunakan 3-64 huruf kecil, angka, titik, garis bawah atau tanda hubung."
        case let .invalidNIP(nip):
            return "NIP '\(nip)' tidak sah: NIP terdiri dari 18 angka."
        case let .invalidRole(role):
            let names = Officer.officerRoles.map { "\($0.rawValue) (\($0.indonesianName))" }.joined(separator: ", ")
            return "Peran '\(role)' tidak dikenal. Peran petugas menurut SOP: \(names)."
        case let .weakPassword(minimumLength):
            return "Kata sandi terlalu pendek: minimal \(minimumLength) karakter."
        case let .alreadyExists(username):
            return "Petugas '\(username)' sudah terdaftar."
        case let .unknownOfficer(username):
            return "Petugas '\(username)' tidak terdaftar. Lihat daftar dengan `kk-admin officer list`."
        case let .nipInUse(nip):
            return "NIP \(nip) sudah dipakai petugas lain. Periksa NIP-nya, atau lihat `kk-admin officer list`."
        case let .ownChange(id):
            return "Perubahan #\(id) Anda ajukan sendiri; perubahan peran Kepala Dinas atau admin harus disetujui admin lain."
        case let .changeNotPending(id):
            return "Tidak ada perubahan #\(id) yang menunggu persetujuan. Lihat `kk-admin officer pending`."
        case .administratorExists:
            return "Admin pertama sudah ada; admin berikutnya ditambahkan oleh admin (`kk-admin officer add ... --role admin`) dan disetujui admin kedua."
        case let .productionInstallation(command):
            return "'\(command)' hanya untuk pengembangan dan ditolak: basis data ini ditandai produksi."
        }
    }
}
