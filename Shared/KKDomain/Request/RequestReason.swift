/// Why the applicant asks for a new KK (the SOP's three cases).
public enum RequestReason: String, Codable, CaseIterable, Sendable {
    /// The family's data changed (birth, death, moving, marriage, ...).
    case dataChange = "perubahan_data"
    /// The KK was lost.
    case lost = "hilang"
    /// The KK was damaged.
    case damaged = "rusak"

    public var indonesianName: String {
        switch self {
        case .dataChange: "Perubahan Data"
        case .lost: "KK Hilang"
        case .damaged: "KK Rusak"
        }
    }

    /// The SOP: "data entry only for a new KK and data changes; a lost KK has no data-entry step".
    public var hasDataEntry: Bool { self != .lost }

    /// A data change cannot go to print without its entry; a damaged KK may be
    /// reprinted as it is (entry only when the officer finds something to correct).
    public var requiresDataEntry: Bool { self == .dataChange }
}
