/// Status perkawinan, as the current KK prints it.
public enum MaritalStatus: String, RegisterValue {
    case single = "BELUM KAWIN"
    case marriedRegistered = "KAWIN TERCATAT"
    case marriedUnregistered = "KAWIN BELUM TERCATAT"
    case divorced = "CERAI HIDUP"
    case widowed = "CERAI MATI"

    /// Whether the KK must print a marriage date (a registered marriage).
    public var requiresMarriageDate: Bool { self == .marriedRegistered }
    /// Whether a marriage date may be printed at all.
    public var allowsMarriageDate: Bool { self != .single && self != .marriedUnregistered }
}
