import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import Kafka
import Postgres

/// Publishes again, from PostgreSQL, the in-flight requests' messages, with
/// kk-admin serve's producer (the CLI holds no broker credential).
struct ReplayInFlight: OfficerOperation {
    static let name = "replay"
    static let allowed: Set<Role> = [.admin]
    let dryRun: Bool

    func perform(_ call: OfficerCall) async throws -> [String] {
        let prefix = try Topics.prefix()
        let replay = OutboxReplay(pool: call.pool, topicPrefix: prefix)
        if dryRun {
            let (requests, messages) = try await replay.plan()
            return ["\(requests) permohonan dalam proses; \(messages.count) pesan akan diterbitkan ulang."]
                + Dictionary(grouping: messages, by: \.topic).mapValues(\.count).sorted(by: { $0.key < $1.key }).map { "  \($0.key): \($0.value)" }
        }
        guard let producer = call.producer else { throw CLIFailure("kk-admin serve berjalan tanpa broker; penerbitan ulang tidak dapat dilakukan.") }
        return Self.report(try await replay.run(producer: producer), prefix: prefix)
    }

    /// What a replay published, as `replay` and `recover` print it.
    static func report(_ summary: OutboxReplay.Summary, prefix: String) -> [String] {
        ["\(summary.requests) permohonan dalam proses; \(summary.messages.values.reduce(0, +)) pesan diterbitkan ulang."]
            + summary.messages.sorted(by: { $0.key < $1.key }).map { "  \(prefix)\($0.key): \($0.value)" }
    }
}

/// `kk-admin replay`: re-publish the in-flight requests' messages after the broker lost its data.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Terbitkan ulang dari PostgreSQL pesan setiap permohonan yang masih dalam proses (bila broker kehilangan datanya).",
        discussion: """
            Setelah broker kehilangan datanya, jalankan `kk-admin recover`: perintah itu membuat ulang topik, menunggu setiap
            layanan mengganti klien Kafka-nya, lalu menerbitkan ulang seperti perintah ini. replay sendiri menerbitkan ulang
            sekali lagi. Setiap layanan melewati yang sudah diprosesnya, sehingga tidak ada langkah yang dikerjakan dua kali,
            dan setiap permohonan yang pesannya hilang lanjut ke langkah berikutnya. Aman dijalankan lebih dari sekali. Perlu
            sesi admin; kk-admin serve yang menerbitkan.
            """)
    @Flag(help: "Hanya tampilkan apa yang akan diterbitkan.") var dryRun = false
    @OptionGroup var server: ServerOption

    func run() async throws {
        try await server.client(.admin).call(ReplayInFlight(dryRun: dryRun)).forEach { print($0) }
    }
}
