import Foundation

/// Why a NIK (Nomor Induk Kependudukan) or KK number is not valid: one case per
/// rule, each with its own message for the officer.
public enum NIKError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongLength(Int)
    case notDigits
    case unknownProvince(String)
    case invalidRegion(String)
    case invalidMonth(Int)
    /// The day is neither 01-31 (men) nor 41-71 (women: day + 40).
    case invalidDay(Int)
    /// The day, month and year do not form a real date (e.g. 31 February).
    case impossibleDate(day: Int, month: Int, year: Int)
    case zeroSequence
    case sexMismatch(recorded: Sex, encoded: Sex)
    case birthDateMismatch(recorded: CalendarDate, encoded: String)
    /// A KK number's date field is its issue date, without the women's offset.
    case invalidIssueDate(day: Int, month: Int, year: Int)

    public var description: String {
        switch self {
        case let .wrongLength(n):
            "Nomor harus 16 angka, tetapi yang diisi \(n) karakter."
        case .notDigits:
            "Nomor hanya boleh berisi angka 0-9 (tanpa huruf, spasi atau tanda baca)."
        case let .unknownProvince(code):
            "Kode provinsi \(code) (2 angka pertama) tidak dikenal; periksa kembali nomornya."
        case let .invalidRegion(code):
            "Kode wilayah \(Region.dotted(code)) tidak sah: kode kabupaten/kota dan kecamatan tidak boleh 00."
        case let .invalidMonth(m):
            "Bulan lahir \(String(format: "%02d", m)) (angka ke-9 dan ke-10) tidak sah; harus 01-12."
        case let .invalidDay(d):
            "Tanggal lahir \(String(format: "%02d", d)) (angka ke-7 dan ke-8) tidak sah: untuk laki-laki 01-31, untuk perempuan tanggal + 40 (41-71)."
        case let .impossibleDate(d, m, y):
            "Tanggal \(String(format: "%02d-%02d-%04d", d, m, y)) tidak ada di kalender."
        case .zeroSequence:
            "Nomor urut (4 angka terakhir) tidak boleh 0000."
        case let .sexMismatch(recorded, encoded):
            "NIK menunjukkan jenis kelamin \(encoded.indonesianName), tetapi data anggota \(recorded.indonesianName); untuk perempuan tanggal lahir pada NIK ditambah 40."
        case let .birthDateMismatch(recorded, encoded):
            "Tanggal lahir pada NIK (\(encoded)) tidak sama dengan tanggal lahir anggota (\(recorded.indonesianFormat))."
        case let .invalidIssueDate(d, m, y):
            "Tanggal terbit pada nomor KK (\(String(format: "%02d-%02d-%04d", d, m, y))) bukan tanggal yang sah."
        }
    }
}
