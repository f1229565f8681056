import KKDomain

/// One column of a member table as the real KK form prints it: the field, its
/// heading, its share of the table's width, and the grouped heading above it
/// ("DOKUMEN IMIGRASI", "NAMA ORANG TUA") where the form groups columns.
struct KKTableColumn {
    let field: MemberField
    let heading: String
    let weight: Double
    let group: String?

    init(_ field: MemberField, weight: Double, group: String? = nil, heading: String? = nil) {
        self.field = field
        self.heading = heading ?? field.heading
        self.weight = weight
        self.group = group
    }

    /// The upper table: who each member is.
    static let identity: [KKTableColumn] = [
        .init(.fullName, weight: 3.2), .init(.nik, weight: 2.0), .init(.sex, weight: 1.2), .init(.birthPlace, weight: 1.5),
        .init(.birthDate, weight: 1.2), .init(.religion, weight: 1.1), .init(.education, weight: 2.0), .init(.occupation, weight: 2.0),
        .init(.bloodType, weight: 0.9),
    ]

    static let immigrationDocuments = "DOKUMEN IMIGRASI"
    static let parents = "NAMA ORANG TUA"

    /// The lower table: status, documents and parents, with the form's two groups.
    static let status: [KKTableColumn] = [
        .init(.maritalStatus, weight: 1.6), .init(.marriageDate, weight: 1.2), .init(.relationship, weight: 1.7),
        .init(.citizenship, weight: 1.2),
        .init(.passportNumber, weight: 1.3, group: immigrationDocuments, heading: "No. Paspor"),
        .init(.kitapNumber, weight: 1.3, group: immigrationDocuments, heading: "No. KITAP"),
        .init(.fatherName, weight: 2.6, group: parents, heading: "Ayah"),
        .init(.motherName, weight: 2.6, group: parents, heading: "Ibu"),
    ]

    /// Consecutive columns under one grouped heading, by index (the "No" column is index 0).
    struct Span {
        let title: String
        let columns: ClosedRange<Int>
    }

    /// The groups of `columns`, offset by one for the leading "No" column.
    static func spans(of columns: [KKTableColumn]) -> [Span] {
        var spans: [Span] = []
        for (index, column) in columns.enumerated() {
            guard let group = column.group else { continue }
            if let last = spans.last, last.title == group, last.columns.upperBound == index {
                spans[spans.count - 1] = Span(title: group, columns: last.columns.lowerBound...index + 1)
            } else {
                spans.append(Span(title: group, columns: (index + 1)...(index + 1)))
            }
        }
        return spans
    }
}
