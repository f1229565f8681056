import Logging
import ServiceLifecycle

/// The shape of every background job a service runs on a timer (gauges, the
/// media purge, delivery and archive retries): one round now, then one every
/// `interval`, until the service is asked to stop, when the pause ends at once.
/// A round that fails is logged and the job goes on at the next interval: a
/// database that is away for a while must not end a service.
public enum Periodic {
    /// Runs `round` until the task is cancelled or the service group shuts down gracefully.
    /// A thrown error is logged at `level` as `failure` with the error.
    public static func run(
        every interval: Duration, logger: Logger, level: Logger.Level = .warning, failure: Logger.Message,
        _ round: () async throws -> Void
    ) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await round()
            } catch {
                logger.log(level: level, failure, metadata: ["error": "\(error)"])
            }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { return }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

/// A background job of a service: `round` now and then every `interval`
/// (see `Periodic.run`), as a `Service` for the service group.
public struct PeriodicJob: Service {
    let interval: Duration
    let logger: Logger
    let level: Logger.Level
    let failure: Logger.Message
    let round: @Sendable () async throws -> Void

    public init(
        every interval: Duration, logger: Logger, level: Logger.Level = .warning, failure: Logger.Message,
        _ round: @escaping @Sendable () async throws -> Void
    ) {
        self.interval = interval
        self.logger = logger
        self.level = level
        self.failure = failure
        self.round = round
    }

    public func run() async throws {
        await Periodic.run(every: interval, logger: logger, level: level, failure: failure, round)
    }
}
