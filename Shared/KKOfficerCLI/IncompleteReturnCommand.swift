import ArgumentParser
import KKDomain
import KKOfficerAPI
import KKStore
import Postgres

/// The operation behind a service's `return` ("Belum Lengkap"): kk-intake's at
/// the counter (SOP 2), kk-entry's during data entry (SOP 3).
public protocol IncompleteReturn: RequestOperation where Output == Done {
    /// The service whose officer API runs it.
    static var service: OfficerService { get }
    /// The command's help line, in Indonesian.
    static var abstract: String { get }
    var missing: [String] { get }
    var reason: String { get }
    init(number: String, missing: [String], reason: String)
}

extension IncompleteReturn {
    /// The command and the route: `return`.
    public static var name: String { "return" }
    /// Only the Petugas Unit Layanan & Entri returns a request as incomplete (SOP 2-3).
    public static var allowed: Set<Role> { [.serviceOfficer] }

    /// What every "Belum Lengkap" does, in one transaction: the service's own check of the
    /// documents and the reason (whatever the caller sent), the request locked, `release`
    /// (the step's queue gives it up), the applicant told over WhatsApp by `source`.
    public func returnToApplicant(
        _ call: OfficerCall, source: String, release: @escaping @Sendable (RequestRecord, PostgresTransaction) async throws -> Void
    ) async throws -> Done {
        let kinds = try ReturnToApplicant.incompleteKinds(missing, reason: reason)
        let (number, reason, officer) = (number, reason, call.officer)
        try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            try await release(request, tx)
            try await ReturnToApplicant.send(request, kind: .incomplete, missing: kinds, reason: reason, by: officer, source: source, in: tx)
        }
        return Done()
    }
}

/// `kk-<service> return <no> --missing ... --reason ...`: the applicant gets the
/// reason and the documents to resend over WhatsApp.
public struct IncompleteReturnCommand<Operation: IncompleteReturn>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(commandName: Operation.name, abstract: Operation.abstract) }
    @OptionGroup var request: IncompleteReturnArguments
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        _ = try request.documentKinds()
        _ = try await server.client(Operation.service).call(Operation(number: request.number, missing: request.missing, reason: request.reason))
        print(request.done)
    }
}
