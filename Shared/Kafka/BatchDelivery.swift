import Synchronization

/// The delivery reports of a batch of messages, collected by index; the sender
/// is resumed once, when the last report arrives (one continuation per batch
/// instead of one per message).
final class BatchDelivery: Sendable {
    private struct State {
        var results: [Result<KafkaDeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count, continuation: nil))
    }

    func fulfil(_ index: Int, _ result: Result<KafkaDeliveryReport, KafkaError>) {
        let done: (CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>, [Result<KafkaDeliveryReport, KafkaError>])? =
            state.withLock { state in
                guard state.results[index] == nil else { return nil }
                state.results[index] = result
                state.remaining -= 1
                guard state.remaining == 0, let continuation = state.continuation else { return nil }
                state.continuation = nil
                return (continuation, state.results.map { $0! })
            }
        if let (continuation, results) = done { continuation.resume(returning: results) }
    }

    func wait() async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let ready: [Result<KafkaDeliveryReport, KafkaError>]? = state.withLock { state in
                if state.remaining == 0 { return state.results.map { $0! } }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// What librdkafka carries as a message's opaque: where to report its delivery.
final class DeliverySlot: Sendable {
    enum Target: Sendable {
        case single(DeliveryPromise)
        case batch(BatchDelivery, Int)
    }

    let target: Target
    /// The message's topic, so the report needs no string built on librdkafka's thread.
    let topic: String

    init(_ target: Target, topic: String) {
        self.target = target
        self.topic = topic
    }

    func fulfil(_ result: Result<KafkaDeliveryReport, KafkaError>) {
        switch target {
        case let .single(promise): promise.fulfil(result)
        case let .batch(batch, index): batch.fulfil(index, result)
        }
    }
}
