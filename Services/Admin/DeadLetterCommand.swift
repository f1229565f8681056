import ArgumentParser
import Foundation
import KKRuntime
import Postgres

/// `kk-admin deadletter list|retry`.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadletter",
        abstract: "The messages a service could not process (kk.deadletter): list them with the reason, retry them after the cause is fixed.",
        subcommands: [List.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the dead letters not retried yet (with --all, every one).")
        @Flag(help: "Include the ones already retried.") var all = false

        func run() async throws {
            let letters = try await withPool { pool in try await pool.withTransaction { try await DeadLetters.list(includeRetried: all, in: $0) } }
            guard !letters.isEmpty else {
                print(all ? "Belum pernah ada pesan gagal." : "Tidak ada pesan gagal yang menunggu.")
                return
            }
            print("No.\tLayanan\tTopik[partisi]@offset\tPermohonan\tWaktu\tStatus\tAlasan")
            for l in letters {
                let status = l.retriedAt.map { "diulang \(WIBTime.format($0))" } ?? "menunggu"
                print("#\(l.id)\t\(l.consumer)\t\(l.topic)[\(l.partition)]@\(l.offset)\t\(l.requestNumber ?? "-")\t\(WIBTime.format(l.createdAt))\t\(status)\t\(l.reason)")
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put dead letters back on their topic for the service that refused them (after fixing the cause).",
            discussion: "The service's relay publishes it; only that service processes it again, the others already did. Reads KK_TOPIC_PREFIX.")
        @Argument(help: "Dead-letter numbers as `deadletter list` shows them (#12 or 12).") var ids: [String] = []
        @Flag(help: "Retry every dead letter not retried yet.") var all = false

        func validate() throws {
            if ids.isEmpty == !all { throw ValidationError("Sebutkan nomor pesan gagal (misalnya 12) atau --all, salah satu.") }
            for id in ids where Int64(id.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) == nil {
                throw ValidationError("'\(id)' bukan nomor pesan gagal; lihat `kk-admin deadletter list`.")
            }
        }

        func run() async throws {
            let prefix: String
            do { prefix = try ServiceEnvironment.topicPrefix() } catch { throw CLIFailure(error.description) }
            let failures = try await withPool { pool -> [String] in
                let targets = all
                    ? try await pool.withTransaction { try await DeadLetters.pendingIDs(in: $0) }
                    : ids.compactMap { Int64($0.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) }
                if targets.isEmpty { print("Tidak ada pesan gagal yang menunggu.") }
                var failures: [String] = []
                for id in targets {
                    do {
                        try await pool.withTransaction { try await DeadLetters.retry(id, topicPrefix: prefix, in: $0) }
                        print("Pesan gagal #\(id) diulang.")
                    } catch let error as DeadLetterError {
                        failures.append(error.description)
                        FileHandle.standardError.write(Data((error.description + "\n").utf8))
                    }
                }
                return failures
            }
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}
