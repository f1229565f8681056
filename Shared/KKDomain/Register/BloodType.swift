/// Golongan darah, with rhesus where known.
public enum BloodType: String, RegisterValue {
    case a = "A", b = "B", ab = "AB", o = "O"
    case aPositive = "A+", aNegative = "A-", bPositive = "B+", bNegative = "B-"
    case abPositive = "AB+", abNegative = "AB-", oPositive = "O+", oNegative = "O-"
    case unknown = "TIDAK TAHU"
}
