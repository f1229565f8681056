import ArgumentParser
import Foundation
import KKDomain
import KKRuntime
import Postgres

/// `kk-admin register seed|show`: the family register (SIAK's place).
struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "The family register: load sample families, show a family and its versions.",
        subcommands: [Seed.self, Show.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load realistic sample families across Bantul's 17 kecamatan (for development and the demo).",
            discussion: "Deterministic for a seed; families already in the register are left as they are.")
        @Option(help: "How many families.") var families = 200
        @Option(help: "Seed of the generator.") var seed: UInt64 = 2026

        func run() async throws {
            let records = SampleFamilies.generate(count: families, seed: seed, today: CalendarDate(Date()))
            let added = try await withPool { pool in
                try await pool.withTransaction { tx -> Int in
                    var added = 0
                    for record in records {
                        let exists = try await tx.query("SELECT 1 FROM families WHERE kk_number = \(record.kkNumber.value)").rows.isEmpty == false
                        if exists { continue }
                        try await FamilyRegister.append(record, source: .sample, in: tx)
                        added += 1
                    }
                    return added
                }
            }
            print("\(added) families added (\(records.count - added) already present), \(records.reduce(0) { $0 + $1.members.count }) members in the sample.")
            if let first = records.first { print("For example: KK \(first.kkNumber.value), \(first.head?.fullName ?? "-"), Kec. \(first.address.district).") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a family's current data and the list of its versions.")
        @Argument(help: "The 16-digit KK number.") var kk: String

        func run() async throws {
            let text = try await withPool { pool in
                try await pool.withTransaction { tx in
                    let versions = try await FamilyRegister.versions(of: kk, in: tx)
                    guard let current = versions.last else { throw CLIFailure(FamilyRegisterError.familyNotFound(kk).description) }
                    var lines = FamilyText.record(current.record)
                    lines.append("Versions:")
                    lines += versions.map { "  \($0.version)  \($0.source)  \(WIBTime.format($0.createdAt))\($0.requestID.map { "  request \($0)" } ?? "")" }
                    return lines.joined(separator: "\n")
                }
            }
            print(text)
        }
    }
}
