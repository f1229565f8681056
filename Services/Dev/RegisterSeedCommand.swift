import ArgumentParser
import KKOfficerAPI
import KKOfficerCLI

/// `kk-dev register-seed`: sample families in the register, by kk-admin's
/// `register-seed` operation (an administrator's session; the service refuses
/// it on a database marked production).
struct RegisterSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register-seed",
        abstract: "Load realistic sample families across the office's kecamatan (for development and the demo; needs an admin session).",
        discussion: "Deterministic for a seed; families already in the register are left as they are. Refused on a database marked production.")
    @Option(help: "How many families.") var families = 200
    @Option(help: "Seed of the generator.") var seed: UInt64 = 2026
    @OptionGroup var server: ServerOption

    /// The operation's fields as kk-admin declares them (`SeedRegister`).
    struct Fields: Encodable {
        let families: Int
        let seed: UInt64
    }

    func run() async throws {
        let lines = try await server.client(.admin).withSession {
            try await $0.call(named: "register-seed", Fields(families: families, seed: seed), as: [String].self)
        }
        lines.forEach { print($0) }
    }
}
