/// Status hubungan dalam keluarga.
public enum FamilyRelationship: String, RegisterValue {
    case head = "KEPALA KELUARGA"
    case husband = "SUAMI"
    case wife = "ISTRI"
    case child = "ANAK"
    case childInLaw = "MENANTU"
    case grandchild = "CUCU"
    case parent = "ORANG TUA"
    case parentInLaw = "MERTUA"
    case otherRelative = "FAMILI LAIN"
    case domesticHelper = "PEMBANTU"
    case other = "LAINNYA"
}
