import Foundation
import KKDomain
import KKStore

/// `POST /api/v1/<service>/sesi`: an officer's password for a session token.
public struct SignInRequest: Codable, Sendable {
    public let username: String
    public let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// The token (shown once, stored by the server only as a hash) and who it is for.
public struct SignInResponse: Codable, Sendable {
    public let token: String
    public let officer: OfficerProfile
    public let idleMinutes: Int
    public let maxHours: Int

    public init(token: String, officer: OfficerProfile, idleMinutes: Int, maxHours: Int) {
        self.token = token
        self.officer = officer
        self.idleMinutes = idleMinutes
        self.maxHours = maxHours
    }
}

/// An officer as the API shows them.
public struct OfficerProfile: Codable, Sendable, Equatable {
    public let username: String
    public let fullName: String
    public let nip: String
    public let role: String
    public let roleName: String

    public init(_ officer: Officer) {
        username = officer.username
        fullName = officer.fullName
        nip = officer.nip
        role = officer.role.rawValue
        roleName = officer.role.indonesianName
    }
}

/// Every refusal or failure the officer API answers: a message for the
/// officer (Indonesian, saying what to do next) and a stable code.
public struct OfficerAPIFailure: Codable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// The JSON both ends of the officer API write and read (ISO 8601 dates).
package enum OfficerAPICoding {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// Notices for the calling officer ride on the answer to their next operation,
/// as a header holding a base64 JSON array of Indonesian sentences.
public enum OfficerNoticeHeader {
    public static let name = "KK-Pemberitahuan"

    public static func encode(_ notices: [String]) -> String? {
        guard !notices.isEmpty, let data = try? JSONEncoder().encode(notices) else { return nil }
        return data.base64EncodedString()
    }

    public static func decode(_ value: String?) -> [String] {
        guard let value, let data = Data(base64Encoded: value) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
}
