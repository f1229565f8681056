import Foundation

/// A closed list of values a KK column allows, written exactly as printed on
/// the card (upper case). Parsing is case-insensitive and names the allowed
/// values when it fails.
public protocol RegisterValue: RawRepresentable, CaseIterable, Codable, Hashable, Sendable
where RawValue == String, AllCases == [Self] {}

extension RegisterValue {
    /// Parses `text` for the KK column `field`, or says which values are allowed.
    public static func parse(_ text: String, field: String) throws(RegisterViolation) -> Self {
        let normalized = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if let value = Self(rawValue: normalized) { return value }
        throw RegisterViolation(
            field: field,
            rule: "'\(text)' bukan nilai yang sah. Pilihan: \(allCases.map(\.rawValue).joined(separator: "; ")).")
    }
}
