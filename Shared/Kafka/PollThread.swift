import BlockingQueue
import Foundation
import Synchronization

/// A dedicated OS thread that runs a blocking poll step until stopped, so
/// librdkafka's blocking calls never occupy Swift's cooperative pool.
final class PollThread: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `step` in a loop on a new thread; `step` should block briefly (a poll with a timeout).
    init(name: String, step: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while self.running.load(ordering: .acquiring) {
                step()
            }
            self.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop and waits for the thread to leave it.
    func stop() async {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        await BlockingQueue.kafka.run { self.finished.wait() }
    }
}

extension BlockingQueue {
    /// The Kafka clients' blocking calls that need no order among themselves
    /// (connecting, flushing, administration); a consumer has a serial queue of its own.
    static let kafka = BlockingQueue(label: "kk.kafka.blocking", serial: false)
}
