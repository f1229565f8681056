/// Agama, as SIAK prints it.
public enum Religion: String, RegisterValue {
    case islam = "ISLAM"
    case protestant = "KRISTEN"
    case catholic = "KATHOLIK"
    case hindu = "HINDU"
    case buddhist = "BUDHA"
    case confucian = "KHONGHUCU"
    case indigenousFaith = "KEPERCAYAAN TERHADAP TUHAN YME"
}
