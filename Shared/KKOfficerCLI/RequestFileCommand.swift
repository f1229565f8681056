import ArgumentParser
import Foundation
import KKOfficerAPI
import KKStore

/// The operation behind a `<name> <no> --out FILE`: one file of a request (the signed KK,
/// the unsigned preview), saved by the officer's CLI. The command is named after the operation.
public protocol RequestFileFetching: RequestOperation where Output == DocumentFile {
    /// The service whose officer API runs it.
    static var service: OfficerService { get }
    /// The command's help line, in Indonesian.
    static var abstract: String { get }
    init(number: String)
    /// What the officer is told once `file` is saved at `path`.
    static func saved(_ file: DocumentFile, number: String, path: String) -> String
}

/// `kk-deliver download <no> --out FILE`, `kk-sign preview <no> --out FILE`.
public struct RequestFileCommand<Operation: RequestFileFetching>: AsyncParsableCommand {
    public static var configuration: CommandConfiguration { CommandConfiguration(commandName: Operation.name, abstract: Operation.abstract) }
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(name: .customLong("out"), help: "Berkas PDF tujuan.") var path: String
    @OptionGroup var server: ServerOption

    public init() {}

    public func run() async throws {
        let file = try await server.client(Operation.service).call(Operation(number: number))
        try file.bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        print(Operation.saved(file, number: number.uppercased(), path: path))
    }
}
