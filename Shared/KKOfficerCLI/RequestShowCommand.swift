import ArgumentParser
import KKOfficerAPI

/// The operation behind a service's `show <no>` (or `status <no>`): one request as
/// that step's officer reads it, as text (a read of personal data: the service audits it).
/// The command is named after the operation.
public protocol RequestShowing: RequestOperation where Output == String {
    /// The service whose officer API runs it.
    static var service: OfficerService { get }
    /// The command's help line, in Indonesian.
    static var abstract: String { get }
    init(number: String)
}

/// `kk-<service> show <no>`, `kk-deliver status <no>`.
public struct RequestShowCommand<Operation: RequestShowing>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(commandName: Operation.name, abstract: Operation.abstract) }
    @Argument(help: "Nomor permohonan, misalnya KK-20261125-000001.") var number: String
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        print(try await server.client(Operation.service).call(Operation(number: number)))
    }
}
