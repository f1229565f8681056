/// What the state machine needs to know about the request beyond its state.
public struct TransitionContext: Sendable, Equatable {
    public let reason: RequestReason
    /// The officer who last entered the data or submitted the print request.
    public let preparedBy: String?
    /// Everyone who entered data or submitted a print request for it, across
    /// every return and resubmission: none of them may verify it (four eyes).
    public let editors: Set<String>

    public init(reason: RequestReason, preparedBy: String? = nil, editors: Set<String> = []) {
        self.reason = reason
        self.preparedBy = preparedBy
        self.editors = editors
    }
}
