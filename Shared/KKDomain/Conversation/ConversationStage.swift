/// Where an applicant's conversation stands.
public enum ConversationStage: String, Sendable {
    /// Nothing in progress: any text gets the menu.
    case idle
    /// The menu was shown; a number or a word picks a service.
    case choosing
    /// A data change was chosen without naming what happened; a number or a word picks the event.
    case choosingEvent = "choosing_event"
    /// A request was made; waiting for the applicant's NIK (and KK number) before its documents.
    case identifying
    /// Photos go to the current request's pending documents.
    case collecting
    /// Waiting for "YA" to cancel the current request.
    case confirmingCancel = "confirming_cancel"
    /// The request was closed and the applicant was asked for a 1-5 score of the service.
    case rating
}
