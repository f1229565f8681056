import ArgumentParser

/// The operation behind a service's `return` ("Belum Lengkap"): kk-intake's at
/// the counter (SOP 2), kk-entry's during data entry (SOP 3).
public protocol IncompleteReturn: RequestOperation where Output == Done {
    /// The service whose officer API runs it.
    static var service: OfficerService { get }
    /// The command's help line, in Indonesian.
    static var abstract: String { get }
    init(number: String, missing: [String], reason: String)
}

/// `kk-<service> return <no> --missing ... --reason ...`: the applicant gets the
/// reason and the documents to resend over WhatsApp.
public struct IncompleteReturnCommand<Operation: IncompleteReturn>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(commandName: "return", abstract: Operation.abstract) }
    @OptionGroup var request: IncompleteReturnArguments
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        _ = try request.documentKinds()
        _ = try await server.client(Operation.service).call(Operation(number: request.number, missing: request.missing, reason: request.reason))
        print(request.done)
    }
}
