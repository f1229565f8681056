import Foundation
import Hummingbird
import KKDomain
import KKLogging
import KKOfficerAPI
import KKOfficers
import KKStore
import Kafka
import Logging
import Postgres

/// A service's officer API: sign-in (`/api/v1/<service>/sesi`) and one
/// `POST /api/v1/<service>/<operation>` route per operation, each with the
/// caller's session token as `Authorization: Bearer ...`. Every rule (who is
/// signed in, which role may do what, the SOP's checks) is decided here; the
/// CLIs hold no database credential.
public struct OfficerAPI: Sendable {
    public let service: OfficerService
    let operations: [any OfficerOperation.Type]
    let publicOperations: [any PublicOperation.Type]

    public init(service: OfficerService, operations: [any OfficerOperation.Type], publicOperations: [any PublicOperation.Type] = []) {
        self.service = service
        self.operations = operations
        self.publicOperations = publicOperations
    }

    /// Request bodies larger than this are refused (a signed KK PDF fits many times over).
    public static let bodyLimit = 32 * 1024 * 1024

    /// The routes, on a router of their own (also what the in-process tests drive).
    /// `producer` is for the operations that publish straight to the broker (`kk-admin replay`).
    public func router(pool: PostgresPool, policy: SessionPolicy, logger: Logger, producer: KafkaProducer? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        let handler = OfficerAPIHandler(
            service: service, pool: pool, producer: producer, directory: OfficerDirectory(pool: pool, policy: policy), policy: policy, logger: logger)
        let base = "api/v1/\(service.pathSegment)"
        router.post("\(base)/sesi") { request, _ in await handler.signIn(request) }
        router.get("\(base)/sesi") { request, _ in await handler.whoAmI(request) }
        router.delete("\(base)/sesi") { request, _ in await handler.signOut(request) }
        for operation in operations {
            register(operation, on: router, base: base, handler: handler)
        }
        for operation in publicOperations {
            register(operation, on: router, base: base, handler: handler)
        }
        return router
    }

    private func register<Operation: OfficerOperation>(
        _ type: Operation.Type, on router: Router<BasicRequestContext>, base: String, handler: OfficerAPIHandler
    ) {
        router.post("\(base)/\(Operation.name)") { request, _ in await handler.run(Operation.self, request) }
    }

    private func register<Operation: PublicOperation>(
        _ type: Operation.Type, on router: Router<BasicRequestContext>, base: String, handler: OfficerAPIHandler
    ) {
        router.post("\(base)/\(Operation.name)") { request, _ in await handler.runPublic(Operation.self, request) }
    }

    public func application(
        host: String, port: Int, pool: PostgresPool, policy: SessionPolicy, logger: Logger, producer: KafkaProducer? = nil
    ) -> some ApplicationProtocol {
        Application(
            router: router(pool: pool, policy: policy, logger: logger, producer: producer),
            configuration: .init(address: .hostname(host, port: port), serverName: "\(service.name)-officer-api"),
            logger: logger)
    }
}

/// What each route does; errors become `OfficerAPIFailure` answers.
struct OfficerAPIHandler: Sendable {
    let service: OfficerService
    let pool: PostgresPool
    let producer: KafkaProducer?
    let directory: OfficerDirectory
    let policy: SessionPolicy
    let logger: Logger

    func signIn(_ request: Request) async -> Response {
        await answer {
            let body: SignInRequest = try await decode(request)
            let officer = try await directory.signIn(username: body.username, password: body.password, service: service.name)
            let token = try await directory.createSession(for: officer, service: service.name)
            return SignInResponse(
                token: token, officer: OfficerProfile(officer), idleMinutes: policy.idleSeconds / 60, maxHours: policy.absoluteSeconds / 3600)
        }
    }

    func whoAmI(_ request: Request) async -> Response {
        await answer { OfficerProfile(try await authenticate(request)) }
    }

    func signOut(_ request: Request) async -> Response {
        await answer {
            let officer = try await authenticate(request)
            try await directory.endSession(try bearerToken(request))
            try await OfficerGate(pool: pool, service: service.name).record(officer, command: "logout", outcome: .ok)
            return Done()
        }
    }

    func run<Operation: OfficerOperation>(_ type: Operation.Type, _ request: Request) async -> Response {
        var notices: [String] = []
        let response = await answer {
            let officer = try await authenticate(request)
            notices = try await OfficerNotices.takePending(for: officer.username, pool: pool)
            let operation: Operation = try await decode(request)
            var requestID: UUID?
            if let number = operation.requestNumber { requestID = try await RequestStore.id(ofNumber: number, pool: pool) }
            let gate = OfficerGate(pool: pool, service: service.name)
            try await gate.authorize(officer, command: Operation.name, allowed: Operation.allowed, requestID: requestID)
            let call = OfficerCall(
                officer: officer, pool: pool, producer: producer, service: service.name, command: Operation.name, requestID: requestID, audit: AuditMark())
            do {
                let output = try await operation.perform(call)
                if !call.audit.isWritten { try await gate.record(officer, command: Operation.name, requestID: requestID, outcome: .ok) }
                return output
            } catch {
                try? await gate.record(officer, command: Operation.name, requestID: requestID, outcome: .failed, detail: "\(error)")
                throw error
            }
        }
        return OfficerNoticeHeader.attach(notices, to: response)
    }

    func runPublic<Operation: PublicOperation>(_ type: Operation.Type, _ request: Request) async -> Response {
        await answer {
            let operation: Operation = try await decode(request)
            return try await operation.perform(pool: pool)
        }
    }

    // MARK: pieces

    private func authenticate(_ request: Request) async throws -> Officer {
        try await directory.officer(forSession: try bearerToken(request))
    }

    private func bearerToken(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw OfficerError.notSignedIn }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.count <= 128 else { throw OfficerError.notSignedIn }
        return token
    }

    private func decode<T: Decodable>(_ request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: OfficerAPI.bodyLimit)
        } catch {
            throw BadRequest(
                status: .contentTooLarge,
                failure: OfficerAPIFailure(code: "terlalu_besar", message: "Permintaan melebihi \(OfficerAPI.bodyLimit / 1024 / 1024) MiB."))
        }
        do {
            return try OfficerAPICoding.decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw BadRequest(
                status: .badRequest,
                failure: OfficerAPIFailure(
                    code: "permintaan_tidak_sah",
                    message: "Permintaan tidak dapat dibaca oleh \(service.name); pastikan versi CLI sama dengan versi layanan. (\(error))"))
        }
    }

    /// Runs `body` and answers with its output as JSON, or with the failure.
    private func answer<Output: Encodable>(_ body: () async throws -> Output) async -> Response {
        do {
            return json(.ok, try OfficerAPICoding.encoder().encode(try await body()))
        } catch {
            let (status, failure) = classify(error)
            return json(status, (try? OfficerAPICoding.encoder().encode(failure)) ?? Data())
        }
    }

    private func classify(_ error: any Error) -> (HTTPResponse.Status, OfficerAPIFailure) {
        switch error {
        case let bad as BadRequest:
            return (bad.status, bad.failure)
        case let officer as OfficerError:
            switch officer {
            case .wrongCredentials, .notSignedIn, .sessionExpired, .inactive:
                return (.unauthorized, OfficerAPIFailure(code: "belum_masuk", message: officer.description))
            case .locked:
                return (.init(code: 423, reasonPhrase: "Locked"), OfficerAPIFailure(code: "akun_terkunci", message: officer.description))
            case .roleNotAllowed:
                return (.forbidden, OfficerAPIFailure(code: "peran_tidak_berwenang", message: officer.description))
            default:
                return (.unprocessableContent, OfficerAPIFailure(code: "ditolak", message: officer.description))
            }
        case let store as RequestStoreError:
            if case .notFound = store { return (.notFound, OfficerAPIFailure(code: "tidak_ditemukan", message: store.description)) }
            return (.conflict, OfficerAPIFailure(code: "bentrok", message: store.description))
        case let facing as any OfficerFacingError:
            return (.unprocessableContent, OfficerAPIFailure(code: "ditolak", message: PersonalDataMasker.mask(facing.description)))
        default:
            let reference = UUID().uuidString.prefix(8).lowercased()
            logger.error("officer API operation failed", metadata: ["reference": "\(reference)", "error": "\(PersonalDataMasker.mask("\(error)"))"])
            return (
                .internalServerError,
                OfficerAPIFailure(
                    code: "kesalahan_server",
                    message: "Terjadi kesalahan di \(service.name) (rujukan \(reference)); coba lagi sebentar lagi, atau laporkan rujukan ini ke operator.")
            )
        }
    }

    /// A request the service cannot read at all, with the status to answer.
    private struct BadRequest: Error {
        let status: HTTPResponse.Status
        let failure: OfficerAPIFailure
    }

    private func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension OfficerNoticeHeader {
    static func attach(_ notices: [String], to response: Response) -> Response {
        guard let value = encode(notices) else { return response }
        var response = response
        // (HTTPField.Name, named through the headers' type: Hummingbird re-exports the headers, not HTTPField itself.)
        if let field = type(of: response.headers).Element.Name(name) { response.headers[field] = value }
        return response
    }
}
