/// One broken rule of the family register: the field (KK column, with the
/// member it belongs to) and the rule, in the officer's language.
public struct RegisterViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The KK column, e.g. "tanggal_lahir" or "rt".
    public let field: String
    /// Whose field: "anggota 3 (BUDI SANTOSO)", "alamat", or nil for the family as a whole.
    public let subject: String?
    public let rule: String

    public init(field: String, subject: String? = nil, rule: String) {
        self.field = field
        self.subject = subject
        self.rule = rule
    }

    public func about(_ subject: String) -> RegisterViolation {
        RegisterViolation(field: field, subject: self.subject ?? subject, rule: rule)
    }

    public var description: String {
        if let subject { return "\(field) (\(subject)): \(rule)" }
        return "\(field): \(rule)"
    }
}

/// A family record, or a change to it, that breaks the register's rules.
/// Nothing was changed; every violation is listed so all can be fixed at once.
public struct FamilyRecordInvalid: Error, Sendable, Equatable, CustomStringConvertible {
    public let violations: [RegisterViolation]

    public init(_ violations: [RegisterViolation]) { self.violations = violations }

    public var description: String {
        "Data tidak disimpan; perbaiki lalu ulangi:\n" + violations.map { "  - \($0)" }.joined(separator: "\n")
    }
}
