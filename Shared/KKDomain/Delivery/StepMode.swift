/// Who takes SOP 8 (sending the signed PDF) and SOP 10 (archiving): the
/// system by itself, the default, or the print officer as the SOP is written
/// ("Petugas cetak ... mengirim", "Petugas cetak mengarsipkan"), with
/// `kk-deliver send` and `kk-archive confirm`. `KK_DELIVERY_MODE` and
/// `KK_ARCHIVE_MODE` choose, each for its own step.
public enum StepMode: String, Sendable, CaseIterable {
    case automatic
    case printOfficer = "print-officer"
}
