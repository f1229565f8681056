import ArgumentParser
import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKOfficerAPI
import KKOfficerCLI
import Postgres

/// The dead letters, one line each (reasons are masked when written).
struct ListDeadLetters: OfficerOperation {
    static let name = "deadletter-list"
    static let allowed: Set<Role> = [.admin]
    let all: Bool

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await DeadLetters.list(includeRetried: all, in: tx).map { l in
                let status = l.retriedAt.map { "diulang \(WIBTime.format($0))" } ?? "menunggu"
                return
                    "#\(l.id)\t\(l.consumer)\t\(l.topic)[\(l.partition)]@\(l.offset)\t\(l.requestNumber ?? "-")\t\(WIBTime.format(l.createdAt))\t\(status)\t\(l.reason)"
            }
        }
    }
}

/// Puts dead letters back on their topic for the service that refused them.
struct RetryDeadLetters: OfficerOperation {
    static let name = "deadletter-retry"
    static let allowed: Set<Role> = [.admin]
    /// Nil: every one not retried yet.
    let ids: [Int64]?

    struct Output: Codable, Sendable {
        var retried: [Int64] = []
        var failures: [String] = []
    }

    func perform(_ call: OfficerCall) async throws -> Output {
        let prefix = try Topics.prefix()
        let targets: [Int64]
        if let ids { targets = ids } else { targets = try await call.pool.withTransaction { try await DeadLetters.pendingIDs(in: $0) } }
        var output = Output()
        for id in targets {
            do {
                try await call.transaction(detail: "#\(id)") { try await DeadLetters.retry(id, topicPrefix: prefix, in: $0) }
                output.retried.append(id)
            } catch let error as DeadLetterError {
                output.failures.append(error.description)
            }
        }
        return output
    }
}

/// The webhook bodies the gateway gave up recording, one line each.
struct ListDeadWebhooks: OfficerOperation {
    static let name = "deadletter-webhooks"
    static let allowed: Set<Role> = [.admin]

    func perform(_ call: OfficerCall) async throws -> [String] {
        try await call.transaction { tx in
            try await DeadWebhooks.list(in: tx).map { b in
                "W\(b.id)\t\(WIBTime.format(b.receivedAt))\t\(WIBTime.format(b.deadAt))\t\(b.attempts)\t\(b.reason)"
            }
        }
    }
}

/// Makes dead webhook bodies due again; the gateway records them.
struct RetryDeadWebhooks: OfficerOperation {
    static let name = "deadletter-webhooks-retry"
    static let allowed: Set<Role> = [.admin]
    /// Nil: every dead one.
    let ids: [Int64]?

    func perform(_ call: OfficerCall) async throws -> [Int64] {
        try await call.transaction(detail: ids.map { $0.map { "W\($0)" }.joined(separator: " ") } ?? "all") { tx in
            try await DeadWebhooks.retry(ids, in: tx)
        }
    }
}

/// `kk-admin deadletter list|retry|webhooks|retry-webhooks`.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadletter",
        abstract:
            "Pesan gagal: pesan yang tidak dapat diproses layanan (kk.deadletter) dan kiriman webhook yang tidak dapat dicatat gateway: tampilkan dengan alasannya, ulangi setelah penyebabnya diperbaiki (perlu sesi admin).",
        subcommands: [List.self, Retry.self, Webhooks.self, RetryWebhooks.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tampilkan pesan gagal yang belum diulang (dengan --all, semuanya).")
        @Flag(help: "Sertakan yang sudah diulang.") var all = false
        @OptionGroup var server: ServerOption

        func run() async throws {
            let letters = try await server.client(.admin).call(ListDeadLetters(all: all))
            guard !letters.isEmpty else {
                print(all ? "Belum pernah ada pesan gagal." : "Tidak ada pesan gagal yang menunggu.")
                return
            }
            print("No.\tLayanan\tTopik[partisi]@offset\tPermohonan\tWaktu\tStatus\tAlasan")
            letters.forEach { print($0) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Kembalikan pesan gagal ke topiknya untuk layanan yang menolaknya (setelah penyebabnya diperbaiki).",
            discussion: "Relay layanan itu yang menerbitkannya; hanya layanan itu yang memprosesnya lagi, layanan lain sudah memprosesnya.")
        @Argument(help: "Nomor pesan gagal seperti ditampilkan `deadletter list` (#12 atau 12).") var ids: [String] = []
        @Flag(help: "Ulangi semua pesan gagal yang belum diulang.") var all = false
        @OptionGroup var server: ServerOption

        func validate() throws {
            if ids.isEmpty == !all { throw ValidationError("Sebutkan nomor pesan gagal (misalnya 12) atau --all, salah satu.") }
            for id in ids where Self.number(id) == nil {
                throw ValidationError("'\(id)' bukan nomor pesan gagal; lihat `kk-admin deadletter list`.")
            }
        }

        static func number(_ text: String) -> Int64? { Int64(text.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) }

        func run() async throws {
            let result = try await server.client(.admin).call(RetryDeadLetters(ids: all ? nil : ids.compactMap(Self.number)))
            if result.retried.isEmpty && result.failures.isEmpty { print("Tidak ada pesan gagal yang menunggu.") }
            for id in result.retried { print("Pesan gagal #\(id) diulang.") }
            for failure in result.failures { FileHandle.standardError.write(Data((failure + "\n").utf8)) }
            if !result.failures.isEmpty { throw ExitCode(1) }
        }
    }

    struct Webhooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tampilkan kiriman webhook WhatsApp yang tidak dapat dicatat gateway setelah percobaan terakhirnya, dengan alasannya.")
        @OptionGroup var server: ServerOption

        func run() async throws {
            let bodies = try await server.client(.admin).call(ListDeadWebhooks())
            guard !bodies.isEmpty else {
                print("Tidak ada kiriman webhook WhatsApp yang gagal dicatat.")
                return
            }
            print("No.\tDiterima\tDihentikan\tPercobaan\tAlasan")
            bodies.forEach { print($0) }
        }
    }

    struct RetryWebhooks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry-webhooks",
            abstract: "Minta gateway mencatat ulang kiriman webhook yang gagal (setelah penyebabnya diperbaiki).",
            discussion: "Yang sudah dicatat gateway dari suatu kiriman dilewati sebagai duplikat.")
        @Argument(help: "Nomor kiriman seperti ditampilkan `deadletter webhooks` (W12 atau 12).") var ids: [String] = []
        @Flag(help: "Semua kiriman webhook yang gagal.") var all = false
        @OptionGroup var server: ServerOption

        func validate() throws {
            if ids.isEmpty == !all { throw ValidationError("Sebutkan nomor kiriman webhook (misalnya W12) atau --all, salah satu.") }
            for id in ids where Self.number(id) == nil {
                throw ValidationError("'\(id)' bukan nomor kiriman webhook; lihat `kk-admin deadletter webhooks`.")
            }
        }

        static func number(_ text: String) -> Int64? { Int64(text.trimmingCharacters(in: CharacterSet(charactersIn: "Ww#"))) }

        func run() async throws {
            let retried = try await server.client(.admin).call(RetryDeadWebhooks(ids: all ? nil : ids.compactMap(Self.number)))
            if retried.isEmpty { print("Tidak ada kiriman webhook gagal dengan nomor itu.") }
            for id in retried { print("Kiriman webhook W\(id) akan dicatat ulang oleh kk-gateway.") }
        }
    }
}
