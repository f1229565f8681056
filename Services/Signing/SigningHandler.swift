import KKDomain
import KKMessaging
import KKStore
import Logging

/// kk-sign's daemon: a verified draft (kk.drafts.verified, SOP 6) joins the
/// Kepala Dinas' signing queue (SOP 7).
enum SigningHandler {
    static let name = "kk-sign"

    static func make(logger: Logger) -> OfficerQueueFeeder<DraftVerified> {
        OfficerQueueFeeder(
            .init(
                service: name, queue: .signing, state: .verified, draftStatus: .verified, subject: "verified request",
                onlyWay: "only `kk-verify approve` may verify a draft"),
            logger: logger)
    }
}
