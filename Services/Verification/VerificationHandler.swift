import KKDomain
import KKMessaging
import KKStore
import Logging

/// kk-verify's daemon: a print request with its draft KK (kk.drafts.submitted,
/// SOP 4) joins the Kasi/Kabid's verification queue (SOP 5-6).
enum VerificationHandler {
    static let name = "kk-verify"

    static func make(logger: Logger) -> OfficerQueueFeeder<DraftSubmitted> {
        OfficerQueueFeeder(
            .init(
                service: name, queue: .verification, state: .printRequested, draftStatus: .submitted, subject: "print request",
                onlyWay: "only `kk-entry submit` may submit a print request"),
            logger: logger)
    }
}
