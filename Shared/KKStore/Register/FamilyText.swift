import Foundation
import KKDomain

/// A family as officers read it at the terminal: the address block and every
/// member's columns; with a draft, the current record next to it and every
/// changed field marked with "*".
public enum FamilyText {
    /// One column: the family as it stands.
    public static func record(_ record: FamilyRecord) -> [String] {
        var lines = header(record)
        for (index, member) in record.members.enumerated() {
            lines.append("  \(index + 1). \(member.fullName) (NIK \(member.nik.value))")
            for field in MemberField.allCases where field != .fullName && field != .nik {
                lines.append("       \(field.heading.padding(toLength: 31, withPad: " ", startingAt: 0)) \(member.value(of: field))")
            }
        }
        return lines
    }

    /// Two columns: `current` (the register) and `draft` (what the KK will
    /// print), each difference marked "*", added members "+", removed "-".
    public static func comparison(current: FamilyRecord, draft: FamilyRecord) -> [String] {
        let width = 34
        func row(_ mark: String, _ label: String, _ old: String, _ new: String) -> String {
            "\(mark) \(label.padding(toLength: 33, withPad: " ", startingAt: 0)) \(old.padding(toLength: width, withPad: " ", startingAt: 0)) \(new)"
        }
        var lines = ["Nomor KK \(draft.kkNumber.value)", row(" ", "Kolom", "Data sekarang (register)", "Draft KK")]
        for field in AddressField.allCases {
            let old = current.address.value(of: field)
            let new = draft.address.value(of: field)
            lines.append(row(old == new ? " " : "*", field.heading, old, new))
        }
        for (index, member) in draft.members.enumerated() {
            let before = current.member(member.nik.value)
            lines.append("\(before == nil ? "+" : " ") Anggota \(index + 1): \(member.fullName)\(before == nil ? " (BARU)" : "")")
            for field in MemberField.allCases {
                let old = before?.value(of: field) ?? ""
                let new = member.value(of: field)
                lines.append(row(before != nil && old != new ? "*" : " ", "  " + field.heading, old, new))
            }
        }
        for member in current.members where draft.member(member.nik.value) == nil {
            lines.append("- Keluar dari KK: \(member.fullName) (NIK \(member.nik.value))")
        }
        return lines
    }

    static func header(_ record: FamilyRecord) -> [String] {
        let a = record.address
        return [
            "Nomor KK        \(record.kkNumber.value)",
            "Kepala Keluarga \(record.head?.fullName ?? "-")",
            "Alamat          \(a.street) RT \(a.rt)/RW \(a.rw), \(a.village), Kec. \(a.district), Kab. \(a.regency), \(a.province) \(a.postalCode)",
            "Tanggal terbit  \(record.issueDate?.indonesianFormat ?? "- (draft)")",
            "Anggota (\(record.members.count)):",
        ]
    }
}
