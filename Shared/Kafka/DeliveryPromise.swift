import Synchronization

/// One in-flight message: the delivery-report callback (on librdkafka's
/// thread) fulfils it, the sender awaits it. Either may come first.
final class DeliveryPromise: Sendable {
    private enum State {
        case pending
        case waiting(CheckedContinuation<KafkaDeliveryReport, any Error>)
        case done(Result<KafkaDeliveryReport, KafkaError>)
    }

    private let state = Mutex<State>(.pending)

    func fulfil(_ result: Result<KafkaDeliveryReport, KafkaError>) {
        let continuation: CheckedContinuation<KafkaDeliveryReport, any Error>? = state.withLock { state in
            switch state {
            case .pending:
                state = .done(result)
                return nil
            case let .waiting(continuation):
                state = .done(result)
                return continuation
            case .done:
                return nil
            }
        }
        continuation?.resume(with: result.mapError { $0 as any Error })
    }

    func wait() async throws(KafkaError) -> KafkaDeliveryReport {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let ready: Result<KafkaDeliveryReport, KafkaError>? = state.withLock { state in
                    if case let .done(result) = state { return result }
                    state = .waiting(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
            }
        } catch let error as KafkaError {
            throw error
        } catch {
            throw .operation(operation: "delivery", code: -1, reason: "\(error)")
        }
    }
}
