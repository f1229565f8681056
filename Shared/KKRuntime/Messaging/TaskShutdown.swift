import ServiceLifecycle

extension Task where Success == Never, Failure == Never {
    /// True once the task is cancelled or the service group began a graceful shutdown.
    static var isCancelledOrShuttingDown: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully
    }
}

/// A PostgreSQL array literal of integers (`{1,2,3}`), bound as one text
/// parameter and cast in SQL (`$1::bigint[]`). Only numbers, so nothing to escape.
func SQLArrayLiteral<T: BinaryInteger>(_ values: [T]) -> String {
    "{" + values.map { String($0) }.joined(separator: ",") + "}"
}
