import Foundation
import KKDomain

/// Errors of the request record, in Indonesian for the officer CLIs.
public enum RequestStoreError: Error, Sendable, Equatable, OfficerFacingError {
    case notFound(String)
    /// Another officer or replica moved the request first.
    case concurrentUpdate(number: String)

    public var description: String {
        switch self {
        case let .notFound(reference):
            return "Permohonan '\(reference)' tidak ditemukan. Periksa nomor permohonan (contoh: KK-20261124-000123)."
        case let .concurrentUpdate(number):
            return "Permohonan \(number) baru saja diubah oleh petugas atau proses lain. Lihat keadaannya lagi, lalu ulangi bila masih perlu."
        }
    }
}
