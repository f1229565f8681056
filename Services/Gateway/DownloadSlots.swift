/// At most `count` media downloads at once: each holds a whole file (up to
/// `KK_WA_MEDIA_LIMIT_BYTES`) in memory, and a burst of large files from many
/// applicants must not exhaust the gateway's memory. Callers past the limit wait
/// their turn in arrival order.
actor DownloadSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = max(1, count)
    }

    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        await take()
        defer { give() }
        return try await work()
    }

    private func take() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func give() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
