/// The 75 desa/kelurahan of Kabupaten Bantul by kecamatan, and each kecamatan's
/// postal code: the address values the office's register accepts.
extension Region {
    public static let province = "DI YOGYAKARTA"
    public static let regency = "BANTUL"

    /// Desa by kecamatan code.
    public static let bantulVillages: [String: [String]] = [
        "340201": ["PONCOSARI", "TRIMURTI"],
        "340202": ["GADINGSARI", "GADINGHARJO", "SRIGADING", "MURTIGADING"],
        "340203": ["TIRTOHARGO", "PARANGTRITIS", "DONOTIRTO", "TIRTOSARI", "TIRTOMULYO"],
        "340204": ["SELOHARJO", "PANJANGREJO", "SRIHARDONO"],
        "340205": ["SIDOMULYO", "MULYODADI", "SUMBERMULYO"],
        "340206": ["CATURHARJO", "TRIHARJO", "GILANGHARJO", "WIJIREJO"],
        "340207": ["SENDANGSARI", "GUWOSARI", "TRIWIDADI"],
        "340208": ["PALBAPANG", "RINGINHARJO", "BANTUL", "TRIRENGGO", "SABDODADI"],
        "340209": ["PATALAN", "CANDEN", "SUMBERAGUNG", "TRIMULYO"],
        "340210": ["SELOPAMIORO", "SRIHARJO", "KEBONAGUNG", "KARANGTENGAH", "GIRIREJO", "KARANGTALUN", "IMOGIRI", "WUKIRSARI"],
        "340211": ["MANGUNAN", "MUNTUK", "DLINGO", "TEMUWUH", "JATIMULYO", "TERONG"],
        "340212": ["BANGUNTAPAN", "BATURETNO", "POTORONO", "JAMBIDAN", "SINGOSAREN", "TAMANAN", "WIROKERTEN", "JAGALAN"],
        "340213": ["WONOKROMO", "PLERET", "SEGOROYOSO", "BAWURAN", "WONOLELO"],
        "340214": ["SITIMULYO", "SRIMULYO", "SRIMARTANI"],
        "340215": ["PENDOWOHARJO", "TIMBULHARJO", "BANGUNHARJO", "PANGGUNGHARJO"],
        "340216": ["BANGUNJIWO", "TIRTONIRMOLO", "TAMANTIRTO", "NGESTIHARJO"],
        "340217": ["ARGODADI", "ARGOREJO", "ARGOSARI", "ARGOMULYO"],
    ]

    /// Postal code by kecamatan code.
    public static let bantulPostalCodes: [String: String] = [
        "340201": "55762", "340202": "55763", "340203": "55772", "340204": "55771", "340205": "55764",
        "340206": "55761", "340207": "55751", "340208": "55711", "340209": "55781", "340210": "55782",
        "340211": "55783", "340212": "55198", "340213": "55791", "340214": "55792", "340215": "55185",
        "340216": "55181", "340217": "55752",
    ]

    /// The kecamatan code of a kecamatan name (any case), if it is in Bantul.
    public static func bantulKecamatanCode(named name: String) -> String? {
        bantulKecamatan.first { $0.name.uppercased() == name.uppercased() }?.code
    }
}
