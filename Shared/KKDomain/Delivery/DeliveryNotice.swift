import Foundation

/// The SOP's notice that follows the PDF (SOP 9), in Indonesian: print it on
/// HVS A4 80 gsm, hand in the old KK at the kecamatan, and, only where the
/// change touches what a KTP-el shows for a member old enough to hold one,
/// apply for its printing ("permohonan pencetakan") through the office's app
/// (Disdukcapil Smart Bantul in Bantul), naming those members.
public enum DeliveryNotice {
    /// A member whose KTP-el must be renewed, and why.
    public struct KTPRenewal: Equatable, Sendable {
        public let name: String
        public let fields: [String]

        public init(name: String, fields: [String]) {
            self.name = name
            self.fields = fields
        }
    }

    public static func text(
        number: String, kkNumber: String, reason: RequestReason, renewals: [KTPRenewal], office: OfficeProfile = .current
    ) -> String {
        var lines = [
            "KK baru Anda (permohonan \(number), Nomor KK \(kkNumber)) sudah kami kirim dalam bentuk PDF dan sudah ditandatangani secara elektronik oleh Kepala \(office.officeName).",
            "",
            "1. Cetak sendiri PDF tersebut pada kertas HVS A4 80 gram. Cetakan itulah KK Anda yang sah.",
        ]
        switch reason {
        case .lost:
            lines.append("2. KK lama yang hilang sudah tidak berlaku. Bila suatu saat ditemukan, serahkan kepada petugas Dukcapil di kantor kecamatan Anda.")
        case .damaged, .dataChange:
            lines.append("2. Serahkan KK lama kepada petugas Dukcapil di kantor kecamatan Anda, karena KK lama sudah tidak berlaku.")
        }
        if !renewals.isEmpty {
            let names = renewals.map { "- \($0.name) (berubah: \($0.fields.joined(separator: ", ")))" }
            lines.append(
                "3. Perubahan data KK ini mengakibatkan pembaruan KTP-el. Ajukan permohonan pencetakan KTP-el melalui aplikasi \"\(office.appName)\" untuk anggota keluarga berikut:"
            )
            lines += names
        }
        lines += ["", "Keaslian KK dapat diperiksa dengan memindai kode QR pada KK. Terima kasih."]
        return lines.joined(separator: "\n")
    }

    /// The members whose KTP-el shows something the new KK changed: changed
    /// KTP fields, a new address, or a KTP holder who moved in.
    public static func renewals(before: FamilyRecord?, after: FamilyRecord, today: CalendarDate) -> [KTPRenewal] {
        guard let before else { return [] }
        let differences = FamilyDifference.between(before, after)
        let addressChanged = differences.contains {
            if case .addressChanged = $0.kind { return true }
            return false
        }
        var result: [KTPRenewal] = []
        for member in after.members where member.holdsKTP(on: today) {
            var fields: [String] = []
            for difference in differences where difference.nik == member.nik.value {
                switch difference.kind {
                case let .memberChanged(field) where field.shownOnKTP: fields.append(field.heading)
                case .memberAdded: fields.append("Alamat")
                default: break
                }
            }
            if addressChanged, !fields.contains("Alamat") { fields.append("Alamat") }
            if !fields.isEmpty { result.append(KTPRenewal(name: member.fullName, fields: fields)) }
        }
        return result
    }
}
