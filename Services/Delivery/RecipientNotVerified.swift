import KKDomain
import KKStore

/// The signed KK is not sent: the applicant's identity was not verified as a
/// member of the signed family (issue 19 item 3). The PDF carries every
/// member's NIK, so it waits in the print officer's queue instead.
struct RecipientNotVerified: OfficerFacingError {
    let number: String
    let identity: IdentityRecord
    let signedKK: String

    var description: String {
        "PDF KK permohonan \(number) tidak dikirim: identitas pemohon (\(identity.officerSummary)) tidak sesuai dengan KK ****\(signedKK.suffix(4)) "
            + "yang ditandatangani. Hubungi petugas layanan untuk memeriksa identitas pemohon sebelum PDF dikirim."
    }
}
