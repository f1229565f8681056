import Foundation
import KKHealth
import KKStore
import Kafka
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Publishes a service's outbox rows to Kafka in id order and marks them sent
/// only after the broker acknowledged them.
///
/// With several replicas of a service, exactly one relay publishes at a time:
/// the one holding a PostgreSQL session advisory lock derived from the service
/// name. The others wait and take over when the holder's connection goes away.
/// A single publisher keeps the order per request key; a row whose send failed
/// stops the batch there, so nothing after it is marked sent before it.
///
/// It wakes as soon as there is something to publish: `wake()` from the same
/// process (its consumer, after a commit), a notification on its own source's
/// channel from any other (officer operations, kk-admin), and every
/// `pollInterval` in case a notification was missed.
public final class OutboxRelay: Service, Sendable {
    private let source: String
    private let databaseURL: String
    private let pool: PostgresPool
    private let producer: KafkaProducer
    private let logger: Logger
    private let readiness: Readiness?
    private let liveness: Liveness?
    private let batchSize: Int
    private let pollInterval: Duration
    private let topicPrefix: String
    private let published: Counter
    private let backlog: Gauge
    private let doorbell = Doorbell()

    public init(
        source: String, databaseURL: String, pool: PostgresPool, producer: KafkaProducer, logger: Logger,
        readiness: Readiness? = nil, liveness: Liveness? = nil, batchSize: Int = 500, pollInterval: Duration = .seconds(1), topicPrefix: String = ""
    ) {
        self.liveness = liveness
        self.topicPrefix = topicPrefix
        self.source = source
        self.databaseURL = databaseURL
        self.pool = pool
        self.producer = producer
        self.logger = logger
        self.readiness = readiness
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.published = Counter(label: "kk_outbox_published_total", dimensions: [("source", source)])
        self.backlog = Gauge(label: "kk_outbox_backlog", dimensions: [("source", source)])
    }

    /// Something was committed to this source's outbox in this process: publish it now.
    public func wake() { doorbell.ring() }

    /// The advisory-lock key of this source's relay.
    var lockKey: Int64 { AdvisoryLockKey.make("kk-outbox-relay:\(source)") }

    public func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                try await runAsLeaderWhenElected()
            } catch is CancellationError {
                return
            } catch {
                readiness?.set("relay", ready: false, detail: "\(error)")
                logger.warning("outbox relay interrupted; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Waits until this replica holds the lock, then publishes until shutdown
    /// or until the lock connection breaks.
    private func runAsLeaderWhenElected() async throws {
        let lockConnection = try await PostgresConnection.connect(url: databaseURL, logger: logger)
        defer { Task { await lockConnection.close() } }
        while !Task.isCancelledOrShuttingDown {
            let rows = try await lockConnection.query("SELECT pg_try_advisory_lock(\(lockKey)) AS locked")
            if try rows.rows.first?.decode("locked", as: Bool.self) == true { break }
            readiness?.set("relay", ready: true, detail: "standby (another replica publishes)")
            try await Task.sleep(for: pollInterval * 2)
        }
        guard !Task.isCancelledOrShuttingDown else { return }
        logger.info("outbox relay elected", metadata: ["source": "\(source)"])
        readiness?.set("relay", ready: true, detail: "publishing")

        let listener = try await PostgresListener.listen(url: databaseURL, channel: Outbox.channel(for: source), logger: logger)
        defer { Task { await listener.close() } }
        // Other processes' commits arrive as notifications, and the wait's timeout is the polling
        // fallback: both ring the doorbell this process's own writers ring.
        let listenerFailure = Mutex<(any Error)?>(nil)
        let listening = Task { [doorbell, pollInterval] in
            do {
                while !Task.isCancelled {
                    _ = try await listener.waitForNotification(timeout: pollInterval)
                    doorbell.ring()
                }
            } catch {
                listenerFailure.withLock { $0 = error }
                doorbell.ring()
            }
        }
        defer { listening.cancel() }
        var rings = doorbell.rings.makeAsyncIterator()
        var lockCheckedAt = ContinuousClock.now
        while !Task.isCancelledOrShuttingDown {
            let sent = if let liveness { try await liveness.during("relay") { try await publishPending() } } else { try await publishPending() }
            if sent == batchSize { continue }
            await rings.next()
            if let failure = listenerFailure.withLock({ $0 }) { throw failure }
            // The lock connection must still be alive, or another replica may have taken over.
            if ContinuousClock.now - lockCheckedAt >= pollInterval {
                _ = try await lockConnection.query("SELECT 1 AS alive")
                lockCheckedAt = .now
            }
        }
    }

    /// Publishes one batch of unsent rows; returns how many were marked sent.
    @discardableResult
    public func publishPending() async throws -> Int {
        let rows = try await pool.query(
            .binaryResults(
                """
                SELECT id, topic, message_key, payload, headers::text AS headers
                FROM outbox WHERE source = \(source) AND sent_at IS NULL ORDER BY id LIMIT \(batchSize)
                """))
        let pending = try rows.rows.map { try OutboxRow.message($0, topicPrefix: topicPrefix) }
        guard !pending.isEmpty else {
            backlog.record(0)
            return 0
        }
        let results = await producer.send(pending.map(\.message))
        var ids: [Int64] = []
        var partitions: [Int32] = []
        var offsets: [Int64] = []
        var failure: KafkaError?
        for (row, result) in zip(pending, results) {
            switch result {
            case let .success(report):
                ids.append(row.id)
                partitions.append(report.partition)
                offsets.append(report.offset)
            case let .failure(error):
                failure = error
            }
            if failure != nil { break }  // keep order: nothing after a failed row is marked sent
        }
        if !ids.isEmpty {
            try await pool.execute(
                """
                UPDATE outbox SET sent_at = now(), sent_partition = u.p, sent_offset = u.o
                FROM unnest(\(SQLArrayLiteral(ids))::bigint[], \(SQLArrayLiteral(partitions))::int[],
                            \(SQLArrayLiteral(offsets))::bigint[]) AS u(id, p, o)
                WHERE outbox.id = u.id
                """)
            published.increment(by: ids.count)
        }
        if let failure {
            throw failure
        }
        backlog.record(Double(pending.count - ids.count))
        return ids.count
    }
}

/// Stable 64-bit advisory-lock keys from names (FNV-1a), identical in every process.
public enum AdvisoryLockKey {
    public static func make(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }
}
