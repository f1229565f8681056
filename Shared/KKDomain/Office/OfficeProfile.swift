import Synchronization

/// Who the office is: its province and kabupaten (or kota) with their codes,
/// its kecamatan with their desa and postal codes, its name, and the app the
/// SOP 9 notice names. The KK, the applicant's messages, the register's rules
/// and the reports all read it, so any Disdukcapil office runs the same
/// software with its own file (`KK_OFFICE_PROFILE_FILE`); Bantul is the
/// built-in default (`OfficeProfile.bantul`).
public struct OfficeProfile: Codable, Sendable, Equatable {
    public struct Kecamatan: Codable, Sendable, Equatable {
        /// Kemendagri's six-digit code (province, regency, kecamatan).
        public let code: String
        public let name: String
        public let postalCode: String
        /// Its desa and kelurahan, as the KK writes them (upper case).
        public let villages: [String]

        public init(code: String, name: String, postalCode: String, villages: [String]) {
            self.code = code
            self.name = name
            self.postalCode = postalCode
            self.villages = villages
        }

        enum CodingKeys: String, CodingKey {
            case code, name, villages
            case postalCode = "postal_code"
        }
    }

    /// "34" and the province as the KK writes it ("DI YOGYAKARTA").
    public let provinceCode: String
    public let province: String
    /// "3402" and the regency's name as the KK writes it ("BANTUL").
    public let regencyCode: String
    public let regency: String
    /// "KABUPATEN" or "KOTA".
    public let regencyKind: String
    /// The app through which residents apply for KTP-el printing ("Disdukcapil Smart Bantul").
    public let appName: String
    public let kecamatan: [Kecamatan]
    /// The public verification page as citizens reach it (the KK's QR code),
    /// when KK_PUBLIC_VERIFY_URL does not say otherwise.
    public let verificationURL: String?
    /// Whom applicants contact about their personal data (the privacy notice),
    /// when the office names someone; otherwise the office's data protection officer at the office.
    public let privacyContact: String?

    public init(
        provinceCode: String, province: String, regencyCode: String, regency: String, regencyKind: String = "KABUPATEN", appName: String,
        kecamatan: [Kecamatan], verificationURL: String? = nil, privacyContact: String? = nil
    ) {
        self.verificationURL = verificationURL
        self.privacyContact = privacyContact
        self.provinceCode = provinceCode
        self.province = province
        self.regencyCode = regencyCode
        self.regency = regency
        self.regencyKind = regencyKind
        self.appName = appName
        self.kecamatan = kecamatan
    }

    enum CodingKeys: String, CodingKey {
        case kecamatan
        case provinceCode = "province_code"
        case province
        case regencyCode = "regency_code"
        case regency
        case regencyKind = "regency_kind"
        case appName = "app_name"
        case verificationURL = "verification_url"
        case privacyContact = "privacy_contact"
    }

    // MARK: names

    /// "Kabupaten Bantul", "Kota Yogyakarta".
    public var regencyTitle: String { "\(Self.titleCase(regencyKind)) \(Self.titleCase(regency))" }
    /// "KABUPATEN BANTUL", as the KK prints it.
    public var regencyHeading: String { "\(regencyKind) \(regency)".uppercased() }
    /// "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bantul".
    public var officeName: String { "Dinas Kependudukan dan Pencatatan Sipil \(regencyTitle)" }
    /// "Disdukcapil Kabupaten Bantul".
    public var officeShortName: String { "Disdukcapil \(regencyTitle)" }
    /// "Pemerintah Kabupaten Bantul".
    public var government: String { "Pemerintah \(regencyTitle)" }
    /// Whom the privacy notice names for questions about personal data.
    public var dataProtectionContact: String {
        privacyContact ?? "Pejabat Pelindungan Data Pribadi \(officeShortName), di kantor pada jam layanan"
    }

    static func titleCase(_ text: String) -> String {
        text.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ")
    }

    // MARK: places

    /// The kecamatan whose name (any case) is `name`.
    public func kecamatan(named name: String) -> Kecamatan? { kecamatan.first { $0.name.uppercased() == name.uppercased() } }
    /// The kecamatan with the six-digit `code`.
    public func kecamatan(code: String) -> Kecamatan? { kecamatan.first { $0.code == code } }

    /// What is wrong with the profile, if anything: codes that do not nest,
    /// a kecamatan without desa, a postal code that is not five digits.
    public var problems: [String] {
        var found: [String] = []
        func digits(_ text: String, _ count: Int) -> Bool { text.count == count && text.allSatisfy { $0.isASCII && $0.isNumber } }
        if !digits(provinceCode, 2) { found.append("province_code must be two digits, not '\(provinceCode)'") }
        if !digits(regencyCode, 4) || !regencyCode.hasPrefix(provinceCode) {
            found.append("regency_code must be four digits starting with the province's code, not '\(regencyCode)'")
        }
        if !["KABUPATEN", "KOTA"].contains(regencyKind) { found.append("regency_kind must be KABUPATEN or KOTA, not '\(regencyKind)'") }
        if province.isEmpty || regency.isEmpty || appName.isEmpty { found.append("province, regency and app_name must not be empty") }
        if kecamatan.isEmpty { found.append("the office needs at least one kecamatan") }
        for k in kecamatan {
            if !digits(k.code, 6) || !k.code.hasPrefix(regencyCode) {
                found.append("kecamatan \(k.name): code must be six digits starting with \(regencyCode)")
            }
            if !digits(k.postalCode, 5) { found.append("kecamatan \(k.name): postal_code must be five digits") }
            if k.villages.isEmpty { found.append("kecamatan \(k.name) has no villages") }
        }
        if Set(kecamatan.map(\.code)).count != kecamatan.count { found.append("two kecamatan share a code") }
        return found
    }

    // MARK: the office this process serves

    private static let configured = Mutex<OfficeProfile>(.bantul)

    /// The office this process serves: Bantul until a service reads its profile at start-up.
    public static var current: OfficeProfile { configured.withLock { $0 } }

    /// Makes `profile` the office this process serves (at start-up).
    public static func use(_ profile: OfficeProfile) { configured.withLock { $0 = profile } }
}

extension OfficeProfile {
    /// Kabupaten Bantul, Daerah Istimewa Yogyakarta: the built-in default.
    public static let bantul = OfficeProfile(
        provinceCode: "34", province: Region.province, regencyCode: Region.bantul, regency: Region.regency, appName: "Disdukcapil Smart Bantul",
        kecamatan: Region.bantulKecamatan.map { k in
            Kecamatan(code: k.code, name: k.name, postalCode: Region.bantulPostalCodes[k.code]!, villages: Region.bantulVillages[k.code]!)
        })
}
