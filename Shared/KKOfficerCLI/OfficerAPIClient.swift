import Foundation
import KKHTTP
import KKOfficerAPI
import KKOfficers

/// An officer CLI's way to its service: the operation's fields go over HTTP,
/// the service decides and answers. The CLI never reads `KK_DATABASE_URL`.
///
/// The service's address: `--server`, else `KK_<SERVICE>_URL` (e.g.
/// `KK_INTAKE_URL`), else `KK_API_URL` (one ingress for every service), else
/// `http://127.0.0.1:<its default API port>`. Who is calling: the session
/// token saved by `login`, or, for automation, `KK_OFFICER` with
/// `KK_OFFICER_PASSWORD_FILE` (a session for this one command, ended after it).
public struct OfficerAPIClient: Sendable {
    public let service: OfficerService
    public let baseURL: URL
    private let environment: [String: String]

    public init(service: OfficerService, server: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.service = service
        self.environment = environment
        let text =
            [server, environment[service.urlVariable], environment["KK_API_URL"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "http://127.0.0.1:\(service.defaultAPIPort)"
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw CLIFailure(
                "Alamat layanan '\(text)' tidak sah; contoh: \(service.urlVariable)=https://kk.disdukcapil.example/ atau --server http://127.0.0.1:\(service.defaultAPIPort)"
            )
        }
        self.baseURL = url
    }

    /// Runs `operation` on the service as the signed-in officer.
    public func call<Operation: OfficerOperation>(_ operation: Operation) async throws -> Operation.Output {
        try await withSession { try await $0.call(operation) }
    }

    /// Runs `body` with one session for all its calls: the saved token, or for
    /// automation a session signed in from `KK_OFFICER` and ended afterwards.
    public func withSession<T>(_ body: (OfficerAPISession) async throws -> T) async throws -> T {
        let credentials: (username: String, password: String)?
        do {
            credentials = try OfficerSignIn.automationCredentials(environment: environment)
        } catch let error as OfficerError {
            throw CLIFailure(error.description)
        }
        if let (username, password) = credentials {
            let session = try await signIn(username: username, password: password)
            do {
                let output = try await body(OfficerAPISession(client: self, token: session.token))
                try? await signOut(token: session.token)
                return output
            } catch {
                try? await signOut(token: session.token)
                throw error
            }
        }
        guard let token = try SessionTokenFile.read(environment: environment) else { throw CLIFailure(OfficerError.notSignedIn.description) }
        return try await body(OfficerAPISession(client: self, token: token))
    }

    /// Runs an operation the service answers without sign-in.
    public func call<Operation: PublicOperation>(public operation: Operation) async throws -> Operation.Output {
        try await send("POST", Operation.name, body: operation, token: nil)
    }

    public func signIn(username: String, password: String) async throws -> SignInResponse {
        try await send("POST", "sesi", body: SignInRequest(username: username, password: password), token: nil)
    }

    public func whoAmI(token: String) async throws -> OfficerProfile {
        try await send("GET", "sesi", body: nil as Done?, token: token)
    }

    public func signOut(token: String) async throws {
        let _: Done = try await send("DELETE", "sesi", body: nil as Done?, token: token)
    }

    func send<Body: Encodable, Output: Decodable>(_ method: String, _ name: String, body: Body?, token: String?) async throws -> Output {
        let url = baseURL.appendingPathComponent("api/v1/\(service.pathSegment)/\(name)")
        var headers: [(String, String)] = []
        var bytes: [UInt8]?
        if let body {
            bytes = Array(try OfficerAPICoding.encoder().encode(body))
            headers.append(("Content-Type", "application/json"))
        }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let answer: HTTPAnswer
        do {
            answer = try await HTTPExchange.send(method, url, headers: headers, body: bytes, timeout: .seconds(120))
        } catch {
            throw CLIFailure(
                "Layanan \(service.name) tidak dapat dihubungi di \(baseURL.absoluteString) (\(error)). "
                    + "Pastikan `\(service.name) serve` berjalan, atau atur \(service.urlVariable) (atau KK_API_URL, atau --server).")
        }
        for notice in OfficerNoticeHeader.decode(answer.header(OfficerNoticeHeader.name)) {
            FileHandle.standardError.write(Data("Pemberitahuan untuk Anda: \(notice)\n".utf8))
        }
        guard answer.status == 200 else {
            if let failure = try? OfficerAPICoding.decoder().decode(OfficerAPIFailure.self, from: answer.data) { throw CLIFailure(failure.message) }
            throw CLIFailure("\(service.name) menjawab HTTP \(answer.status) tanpa keterangan; periksa alamat \(baseURL.absoluteString).")
        }
        do {
            return try OfficerAPICoding.decoder().decode(Output.self, from: answer.data)
        } catch {
            throw CLIFailure("Jawaban \(service.name) tidak dapat dibaca; pastikan versi CLI sama dengan versi layanan. (\(error))")
        }
    }
}

/// A signed-in officer's way to run several operations on one service.
public struct OfficerAPISession: Sendable {
    let client: OfficerAPIClient
    let token: String

    /// `token`: a session the service issued (`login`, `SessionTokenFile`).
    public init(client: OfficerAPIClient, token: String) {
        self.client = client
        self.token = token
    }

    public func call<Operation: OfficerOperation>(_ operation: Operation) async throws -> Operation.Output {
        try await client.send("POST", Operation.name, body: operation, token: token)
    }

    /// An operation by its name on the wire, for automation that does not link the
    /// service's own types (kk-bench's officers): `fields` as the operation declares them.
    public func call<Fields: Encodable, Output: Decodable>(named name: String, _ fields: Fields, as output: Output.Type) async throws -> Output {
        try await client.send("POST", name, body: fields, token: token)
    }

    /// The same, when only success matters: the answer is not read.
    public func call<Fields: Encodable>(named name: String, _ fields: Fields) async throws {
        let _: Unread = try await client.send("POST", name, body: fields, token: token)
    }

    /// Any answer, not read.
    private struct Unread: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
