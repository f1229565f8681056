/// Kewarganegaraan.
public enum Citizenship: String, RegisterValue {
    case indonesian = "WNI"
    case foreign = "WNA"
}
