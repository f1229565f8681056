import KKDomain
import KKMessaging
import KKStore
import Logging

/// kk-entry's daemon: an accepted request (kk.requests.accepted, SOP 2) joins
/// the entry queue, where a service officer takes it (SOP 3-4).
enum EntryHandler {
    static let name = "kk-entry"

    static func make(logger: Logger) -> OfficerQueueFeeder<RequestAccepted> {
        OfficerQueueFeeder(
            .init(
                service: name, queue: .entry, state: .opened, draftStatus: nil, subject: "accepted request",
                onlyWay: "only `kk-intake open` may accept a request"),
            logger: logger)
    }
}
