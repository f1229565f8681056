import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Logging
import Postgres

/// The whole runbook after the broker lost its data, run by kk-admin serve (the
/// CLI holds no broker credential): the topics made again once the broker
/// answers, a new broker generation recorded, a wait until every running service
/// instance has replaced its Kafka clients (`BrokerGenerationWatch`), then the
/// in-flight requests' messages published again (`ReplayInFlight`). No service
/// is stopped or started.
struct RecoverFromBrokerLoss: OfficerOperation {
    static let name = "recover"
    static let allowed: Set<Role> = [.admin]
    let replicationFactor: Int
    /// How long the services get to replace their clients before the recovery gives up.
    let waitSeconds: Int

    /// An instance heard from within this window counts as running (they report every `KK_BROKER_WATCH_MS`, at most 10 s).
    static let liveWindow: Duration = .seconds(15)

    func perform(_ call: OfficerCall) async throws -> [String] {
        guard let producer = call.producer else { throw CLIFailure("kk-admin serve berjalan tanpa broker; pemulihan tidak dapat dilakukan.") }
        let prefix = try Topics.prefix()
        var lines = ["1. Topik:"]
        do {
            lines += try await Topics.create(replicationFactor: replicationFactor, logger: Logger(label: "kk-admin.recover")).map { "  " + $0 }
        } catch {
            throw CLIFailure("Broker belum bisa dipakai: \(error). Pastikan broker sudah kembali, lalu jalankan kk-admin recover lagi.")
        }
        // Audited with the generation it records (the audit entry commits with it).
        let generation = try await call.transaction { tx in try await BrokerGenerations.record(by: call.officer.username, in: tx) }
        lines.append("2. Generasi broker \(generation) dicatat; setiap layanan yang berjalan mengganti klien Kafka-nya:")
        let deadline = ContinuousClock.now + .seconds(waitSeconds)
        while true {
            let live = try await ServiceInstances.live(within: Self.liveWindow, on: call.pool)
            let behind = live.filter { $0.brokerGeneration < generation }
            if behind.isEmpty {
                lines += Dictionary(grouping: live, by: \.service).sorted(by: { $0.key < $1.key }).map {
                    "  \($0.key): \($0.value.count) instans tersambung ulang"
                }
                if live.isEmpty { lines.append("  (tidak ada layanan yang berjalan; layanan yang dimulai nanti langsung memakai broker ini)") }
                break
            }
            guard ContinuousClock.now < deadline else {
                let names = behind.map { "\($0.service) (pid \($0.pid) di \($0.host))" }.joined(separator: ", ")
                throw CLIFailure(
                    "Dalam \(waitSeconds) detik belum semua layanan mengganti klien Kafka-nya: \(names). Lihat log instans itu "
                        + "(\"broker generation check failed\"), mulai ulang bila perlu, lalu jalankan kk-admin recover lagi (aman diulang).")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        lines.append("3. Penerbitan ulang:")
        lines += ReplayInFlight.report(try await OutboxReplay(pool: call.pool, topicPrefix: prefix).run(producer: producer), prefix: prefix)
            .map { "  " + $0 }
        return lines
    }
}

/// `kk-admin recover`: everything to do after the broker lost its data, in one command.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Pulihkan alur pemrosesan setelah broker kehilangan datanya, tanpa menghentikan layanan.",
        discussion: """
            Jalankan setelah broker kembali (kosong). Perintah ini membuat ulang topik, mencatat generasi broker baru, menunggu \
            setiap layanan yang berjalan mengganti klien Kafka-nya (tanpa dihentikan dan dimulai ulang), lalu menerbitkan ulang \
            dari PostgreSQL pesan setiap permohonan yang masih dalam proses (seperti `kk-admin replay`). Setiap layanan melewati \
            yang sudah diprosesnya, sehingga tidak ada langkah yang dikerjakan dua kali dan tidak ada pesan WhatsApp yang \
            terkirim dua kali. Aman diulang. Perlu sesi admin; kk-admin serve yang menjalankannya.
            """)
    @Option(help: "Faktor replikasi topik yang dibuat ulang (1 untuk satu broker).") var replicationFactor = 1
    @Option(help: "Berapa detik layanan diberi waktu untuk mengganti klien Kafka-nya.") var waitSeconds = 60
    @OptionGroup var server: ServerOption

    func validate() throws {
        // The CLI waits 120 s for the answer: topics (up to 30 s), this wait, then the replay.
        guard (1...60).contains(waitSeconds) else { throw ValidationError("--wait-seconds harus antara 1 dan 60.") }
        guard (1...10).contains(replicationFactor) else { throw ValidationError("--replication-factor harus antara 1 dan 10.") }
    }

    func run() async throws {
        try await server.client(.admin).call(RecoverFromBrokerLoss(replicationFactor: replicationFactor, waitSeconds: waitSeconds))
            .forEach { print($0) }
    }
}
