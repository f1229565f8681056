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
        await BlockingCall.run { self.finished.wait() }
    }
}

/// Runs one blocking call on a thread outside Swift's cooperative pool.
enum BlockingCall {
    private static let queue = DispatchQueue(label: "kk.kafka.blocking", attributes: .concurrent)

    static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(E) -> T in try body() })
            }
        }
        return try result.get()
    }
}
