import Foundation
import KKDomain

/// Reads the office's profile (`KK_OFFICE_PROFILE_FILE`, JSON; see
/// `OfficeProfile`) at start-up and makes it the office this process serves;
/// without the variable the process serves the built-in default (Bantul).
/// Every service and every command that renders a KK or writes to applicants
/// calls it first.
public enum OfficeIdentity {
    public static let fileVariable = "KK_OFFICE_PROFILE_FILE"

    @discardableResult
    public static func configure(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> OfficeProfile {
        let profile = try read(environment: environment)
        OfficeProfile.use(profile)
        return profile
    }

    public static func read(environment: [String: String]) throws(ConfigurationError) -> OfficeProfile {
        guard let path = environment[fileVariable], !path.isEmpty else { return .bantul }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalid(variable: fileVariable, value: path, expected: "a readable JSON file with the office's profile (see deploy/office/)")
        }
        let profile: OfficeProfile
        do {
            profile = try JSONDecoder().decode(OfficeProfile.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .invalid(variable: fileVariable, value: path, expected: "an office profile with \"\(key.stringValue)\" (see deploy/office/kulon-progo.json)")
        } catch {
            throw .invalid(variable: fileVariable, value: path, expected: "an office profile in JSON like deploy/office/kulon-progo.json")
        }
        if let problem = profile.problems.first {
            throw .invalid(variable: fileVariable, value: path, expected: "a valid office profile: \(problem)")
        }
        return profile
    }
}
