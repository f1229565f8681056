import Foundation

/// Refuses secrets that cannot be the real thing: the templates' placeholders
/// (`GANTI-...`, "replace") and values too short to resist guessing. The error
/// names the variable, never the value.
public enum SecretValue {
    /// Words the shipped templates use instead of a value.
    static let placeholderMarkers = ["GANTI", "PLACEHOLDER", "CHANGEME", "CHANGE-ME", "REPLACE-ME", "GANTIKAN"]

    public static func check(_ value: String, variable: String, minimumLength: Int) throws(ConfigurationError) {
        let upper = value.uppercased()
        if placeholderMarkers.contains(where: upper.contains) { throw .placeholder(variable: variable) }
        if value.count < minimumLength { throw .tooShort(variable: variable, minimumLength: minimumLength) }
    }

    /// The password inside a database URL, when there is one (a URL without one uses other authentication).
    public static func checkDatabaseURL(_ url: String, variable: String = "KK_DATABASE_URL") throws(ConfigurationError) {
        let upper = url.uppercased()
        if placeholderMarkers.contains(where: upper.contains) { throw .placeholder(variable: variable) }
        guard let password = URLComponents(string: url)?.password, !password.isEmpty else { return }
        try check(password.removingPercentEncoding ?? password, variable: "\(variable) (its password)", minimumLength: 12)
    }
}
