import ArgumentParser
import Foundation
import KKLoad

@main
struct KKBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-bench",
        abstract:
            "The project's Kafka and PostgreSQL wrappers next to the C tools, KKs rendered and signed per second, the WhatsApp reply's latency, and the whole SOP under load, on the local stack.",
        discussion: """
            Reads KK_KAFKA_BROKERS and KK_DATABASE_URL (make bench sets them). The C reference tools are
            librdkafka's rdkafka_performance (built by make setup from the same source) and pgbench.
            """,
        subcommands: [KafkaBench.self, PostgresBench.self, SigningBench.self, ReplyBench.self, PipelineBench.self, All.self],
        defaultSubcommand: All.self)

    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every benchmark and print the ratios.")
        @OptionGroup var kafka: KafkaBench.Options
        @OptionGroup var postgres: PostgresBench.Options
        @OptionGroup var signing: SigningBench.Options

        func run() async throws {
            var rows: [ComparisonRow] = []
            rows += try await KafkaBench.measure(kafka)
            rows += try await PostgresBench.measure(postgres)
            ComparisonRow.printTable(rows)
            SigningBench.printResult(try SigningBench.measure(signing))
        }
    }
}

/// One line of the result: the Swift wrapper next to the C tool.
struct ComparisonRow {
    let name: String
    let unit: String
    let swift: Double
    let reference: Double
    let referenceName: String

    var ratio: Double { reference > 0 ? swift / reference : 0 }

    static func printTable(_ rows: [ComparisonRow]) {
        print("")
        print(pad("benchmark", 28) + pad("swift wrapper", 18) + pad("C reference", 30) + "ratio")
        for row in rows {
            print(
                pad(row.name, 28) + pad(String(format: "%.0f %@", row.swift, row.unit), 18)
                    + pad(String(format: "%.0f %@ (%@)", row.reference, row.unit, row.referenceName), 30)
                    + String(format: "%.2f", row.ratio))
        }
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }
}

enum BenchEnvironment {
    static func require(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw ValidationError("\(name) is not set; run `make bench`, which starts the local stack and sets it.")
        }
        return value
    }

    /// Runs a command and returns its standard output and error together.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let (status, output) = try ExternalTool.run(executable, arguments, extra: environment)
        guard status == 0 else { throw ValidationError("\(executable) exited with \(status):\n\(output)") }
        return output
    }

    /// The last number that precedes `suffix` in `text`, e.g. "123 msgs/s".
    static func lastNumber(before suffix: String, in text: String) -> Double? {
        let pattern = try! NSRegularExpression(pattern: "([0-9]+(?:\\.[0-9]+)?) \(NSRegularExpression.escapedPattern(for: suffix))")
        let ns = text as NSString
        guard let match = pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).last else { return nil }
        return Double(ns.substring(with: match.range(at: 1)))
    }
}
