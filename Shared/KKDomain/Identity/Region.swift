/// Kemendagri region codes: provinces, and the kecamatan of Kabupaten Bantul.
public enum Region {
    /// The 38 provinces by their two-digit code.
    public static let provinces: [String: String] = [
        "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
        "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
        "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
        "34": "Daerah Istimewa Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali",
        "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat",
        "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "65": "Kalimantan Utara",
        "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara",
        "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara", "91": "Papua",
        "92": "Papua Barat", "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    ]

    /// Kabupaten Bantul, Daerah Istimewa Yogyakarta.
    public static let bantul = "3402"

    /// Bantul's 17 kecamatan, code (34.02.xx as six digits) and name, in Kemendagri order.
    public static let bantulKecamatan: [(code: String, name: String)] = [
        ("340201", "Srandakan"), ("340202", "Sanden"), ("340203", "Kretek"), ("340204", "Pundong"),
        ("340205", "Bambanglipuro"), ("340206", "Pandak"), ("340207", "Pajangan"), ("340208", "Bantul"),
        ("340209", "Jetis"), ("340210", "Imogiri"), ("340211", "Dlingo"), ("340212", "Banguntapan"),
        ("340213", "Pleret"), ("340214", "Piyungan"), ("340215", "Sewon"), ("340216", "Kasihan"),
        ("340217", "Sedayu"),
    ]

    /// "34.02.08" for "340208".
    public static func dotted(_ code: String) -> String {
        stride(from: 0, to: code.count, by: 2).map { i -> String in
            let start = code.index(code.startIndex, offsetBy: i)
            return String(code[start..<code.index(start, offsetBy: min(2, code.count - i))])
        }.joined(separator: ".")
    }
}
