/// Pendidikan (the highest completed), as SIAK prints it.
public enum Education: String, RegisterValue {
    case none = "TIDAK/BELUM SEKOLAH"
    case primaryIncomplete = "BELUM TAMAT SD/SEDERAJAT"
    case primary = "TAMAT SD/SEDERAJAT"
    case juniorSecondary = "SLTP/SEDERAJAT"
    case seniorSecondary = "SLTA/SEDERAJAT"
    case diplomaOneTwo = "DIPLOMA I/II"
    case diplomaThree = "AKADEMI/DIPLOMA III/S. MUDA"
    case bachelor = "DIPLOMA IV/STRATA I"
    case master = "STRATA II"
    case doctorate = "STRATA III"
}
