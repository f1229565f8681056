import Foundation
import Postgres

/// A running process of a service, as it last reported itself.
public struct ServiceInstance: Sendable, Equatable {
    public let id: UUID
    public let service: String
    public let host: String
    public let pid: Int
    public let startedAt: Date
    public let seenAt: Date
    /// The broker generation its Kafka clients were made for (see `BrokerGenerations`).
    public let brokerGeneration: Int64

    public init(id: UUID, service: String, host: String, pid: Int, startedAt: Date, seenAt: Date = Date(), brokerGeneration: Int64 = 0) {
        self.id = id
        self.service = service
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.seenAt = seenAt
        self.brokerGeneration = brokerGeneration
    }
}

/// The owner of `service_instances`: every service process reports itself
/// there on a timer (a heartbeat), with the broker generation its Kafka clients
/// are on, so a recovery can tell when every running instance has caught up.
public enum ServiceInstances {
    /// Records that `instance` is alive on `generation`, forgets instances silent
    /// for a day, and returns the newest broker generation, in one statement.
    public static func heartbeat(_ instance: ServiceInstance, generation: Int64, on database: some PostgresQueryable) async throws -> Int64 {
        try await database.query(
            """
            WITH beat AS (
                INSERT INTO service_instances (instance_id, service, host, pid, started_at, seen_at, broker_generation)
                VALUES (\(instance.id), \(instance.service), \(instance.host), \(instance.pid), \(instance.startedAt), now(), \(generation))
                ON CONFLICT (instance_id) DO UPDATE SET seen_at = now(), broker_generation = EXCLUDED.broker_generation
            ), forgotten AS (
                DELETE FROM service_instances WHERE seen_at < now() - interval '1 day'
            )
            SELECT coalesce((SELECT max(generation) FROM broker_generations), 0)::bigint AS newest
            """
        ).rows[0].decode("newest", as: Int64.self)
    }

    /// The instances heard from within `window`, by service.
    public static func live(within window: Duration, on database: some PostgresQueryable) async throws -> [ServiceInstance] {
        let seconds = window / .seconds(1)
        return try await database.query(
            """
            SELECT instance_id, service, host, pid, started_at, seen_at, broker_generation FROM service_instances
            WHERE seen_at > now() - make_interval(secs => \(seconds))
            ORDER BY service, started_at
            """
        ).rows.map { row in
            ServiceInstance(
                id: try row.decode("instance_id", as: UUID.self), service: try row.decode("service", as: String.self),
                host: try row.decode("host", as: String.self), pid: try row.decode("pid", as: Int.self),
                startedAt: try row.decode("started_at", as: Date.self), seenAt: try row.decode("seen_at", as: Date.self),
                brokerGeneration: try row.decode("broker_generation", as: Int64.self))
        }
    }

    /// An instance that stopped gracefully is no longer waited for.
    public static func remove(_ id: UUID, on database: some PostgresQueryable) async throws {
        try await database.query("DELETE FROM service_instances WHERE instance_id = \(id)")
    }
}
