import ArgumentParser
import Foundation
import KKLoad
import Logging
import Postgres

struct PostgresBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres", abstract: "Insert transactions per second: Swift wrapper vs pgbench, same cluster, same SQL.")

    struct Options: ParsableArguments {
        @Option(help: "Transactions per client.") var transactions = 2000
        @Option(help: "Concurrent clients (connections).") var clients = 4
        @Option(help: "Path of pgbench.") var pgbench = "/usr/lib/postgresql/15/bin/pgbench"
    }

    @OptionGroup var options: Options

    func run() async throws {
        ComparisonRow.printTable(try await Self.measure(options))
    }

    static func measure(_ options: Options) async throws -> [ComparisonRow] {
        let url = try BenchEnvironment.require("KK_DATABASE_URL")
        var logger = Logger(label: "kk-bench")
        logger.logLevel = .error
        let pool = try await PostgresPool.connect(url: url, size: options.clients, logger: logger)
        try await pool.execute("DROP TABLE IF EXISTS bench_inserts")
        try await pool.execute("CREATE TABLE bench_inserts (id bigserial PRIMARY KEY, payload text NOT NULL, n int NOT NULL)")

        // The same transaction for both: BEGIN; one parameterised INSERT; COMMIT.
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("kk-bench-\(UUID().uuidString).sql")
        try "\\set n random(1, 1000000)\nBEGIN;\nINSERT INTO bench_inserts (payload, n) VALUES ('pgbench', :n);\nCOMMIT;\n"
            .write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        print("postgres: \(options.clients) clients x \(options.transactions) insert transactions with pgbench ...")
        let pgOut = try BenchEnvironment.run(
            options.pgbench,
            [
                "-n", "-M", "extended", "-f", script.path, "-c", String(options.clients), "-j", String(min(options.clients, 2)),
                "-t", String(options.transactions), "-d", url,
            ])
        let pgTPS = BenchEnvironment.lastNumber(before: "(without initial connection time)", in: pgOut.replacingOccurrences(of: "tps = ", with: "")) ?? 0

        print("postgres: the same with the Swift wrapper ...")
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<options.clients {
                group.addTask {
                    for _ in 0..<options.transactions {
                        _ = try await pool.withTransaction { tx in
                            try await tx.execute("INSERT INTO bench_inserts (payload, n) VALUES (\("swift"), \(Int.random(in: 1...1_000_000)))")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let swiftTPS = Double(options.clients * options.transactions) / (ContinuousClock.now - start).seconds
        try await pool.execute("DROP TABLE bench_inserts")
        await pool.close()
        return [ComparisonRow(name: "postgres insert tx", unit: "tx/s", swift: swiftTPS, reference: pgTPS, referenceName: "pgbench")]
    }
}
