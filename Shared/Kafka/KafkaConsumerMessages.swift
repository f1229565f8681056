import BlockingQueue
import Foundation
import Synchronization

/// The consumer's messages as an `AsyncSequence`. Each hop to the consumer's
/// thread drains up to `batchSize` ready messages, so per-message overhead stays small.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage

    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        private var buffer: [KafkaConsumerMessage] = []
        private var index = 0

        init(consumer: KafkaConsumer) { self.consumer = consumer }

        public mutating func next() async throws -> KafkaConsumerMessage? {
            while index >= buffer.count {
                if consumer.stopping.load(ordering: .acquiring) || Task.isCancelled { return nil }
                buffer = try await consumer.pollBatch()
                index = 0
            }
            if consumer.stopping.load(ordering: .acquiring) { return nil }
            defer { index += 1 }
            return buffer[index]
        }
    }
}

extension KafkaConsumer {
    /// Waits up to 100 ms for a message, then takes whatever else is ready.
    /// Each message carries the generation of the client that fetched it (see `reconnect()`).
    func pollBatch() async throws(KafkaError) -> [KafkaConsumerMessage] {
        let limit = configuration.batchSize
        return try await queue.run { [self] () throws(KafkaError) -> [KafkaConsumerMessage] in
            // On the queue, so `reconnect()` cannot replace the client meanwhile.
            let current = connection.withLock { $0 }
            var batch = try current.client.poll(upTo: limit, milliseconds: 100)
            if current.generation != 0 { for index in batch.indices { batch[index].generation = current.generation } }
            return batch
        }
    }
}
