/// What the state machine needs to know about the request beyond its state.
public struct TransitionContext: Sendable, Equatable {
    public let reason: RequestReason
    /// The officer who entered the data or submitted the print request (four eyes).
    public let preparedBy: String?

    public init(reason: RequestReason, preparedBy: String? = nil) {
        self.reason = reason
        self.preparedBy = preparedBy
    }
}
