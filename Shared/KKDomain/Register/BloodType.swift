/// Golongan darah, with rhesus where known.
public enum BloodType: String, RegisterValue {
    case a = "A"
    case b = "B"
    case ab = "AB"
    case o = "O"
    case aPositive = "A+"
    case aNegative = "A-"
    case bPositive = "B+"
    case bNegative = "B-"
    case abPositive = "AB+"
    case abNegative = "AB-"
    case oPositive = "O+"
    case oNegative = "O-"
    case unknown = "TIDAK TAHU"
}
