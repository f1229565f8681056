/// The SOP as a state machine: every state, every action, and the roles that
/// may take each action. Pure: no I/O, so it is tested exhaustively.
public enum RequestStateMachine {
    /// Who may take each action.
    public static func roles(for action: RequestAction) -> Set<Role> {
        switch action {
        case .submit, .resubmit: [.applicant, .system]
        case .open, .returnIncomplete, .enter, .submitPrintRequest: [.serviceOfficer]
        case .verify, .rejectInvalid: [.verifier]
        case .sign: [.headOfDepartment]
        case .deliver, .archive: [.printOfficer, .system]
        case .cancel: [.applicant]
        }
    }

    /// The state an action leads to from `state`, or nil when it is not possible
    /// there (regardless of role).
    public static func target(of action: RequestAction, from state: RequestState, reason: RequestReason) -> RequestState? {
        switch (action, state) {
        case (.submit, .collectingDocuments): .submitted
        case (.open, .submitted): .opened
        case (.returnIncomplete, .submitted), (.returnIncomplete, .opened), (.returnIncomplete, .entered): .returnedIncomplete
        case (.enter, .opened), (.enter, .entered): reason.hasDataEntry ? .entered : nil
        case (.submitPrintRequest, .entered): reason.hasDataEntry ? .printRequested : nil
        case (.submitPrintRequest, .opened): reason.requiresDataEntry ? nil : .printRequested
        case (.verify, .printRequested): .verified
        case (.rejectInvalid, .printRequested): .returnedInvalid
        case (.sign, .verified): .signed
        case (.deliver, .signed): .delivered
        case (.archive, .delivered): .archived
        case (.resubmit, .returnedIncomplete), (.resubmit, .returnedInvalid): .submitted
        case (.cancel, .collectingDocuments), (.cancel, .submitted), (.cancel, .opened), (.cancel, .entered),
            (.cancel, .printRequested), (.cancel, .verified), (.cancel, .returnedIncomplete), (.cancel, .returnedInvalid):
            .cancelled
        default: nil
        }
    }

    /// The actions possible in a state (for any role).
    public static func allowedActions(in state: RequestState, reason: RequestReason) -> [RequestAction] {
        RequestAction.allCases.filter { target(of: $0, from: state, reason: reason) != nil }
    }

    /// The roles that can move the request on from `state`.
    public static func nextActors(in state: RequestState, reason: RequestReason) -> Set<Role> {
        Set(allowedActions(in: state, reason: reason).filter { $0 != .cancel }.flatMap { roles(for: $0) })
    }

    /// Applies `action`, or throws why it is refused.
    public static func apply(
        _ action: RequestAction, to state: RequestState, by actor: Actor, context: TransitionContext
    ) throws(TransitionError) -> RequestState {
        guard let next = target(of: action, from: state, reason: context.reason) else {
            if action == .enter, context.reason == .lost, state == .opened || state == .entered {
                throw .noDataEntryForLostKK
            }
            let allowed = allowedActions(in: state, reason: context.reason)
            let actors = Role.allCases.filter(nextActors(in: state, reason: context.reason).contains)
            throw .illegalAction(action, state: state, allowed: allowed, nextActors: actors)
        }
        let allowedRoles = roles(for: action)
        guard allowedRoles.contains(actor.role) else {
            throw .roleNotAllowed(action, role: actor.role, allowedRoles: Role.allCases.filter(allowedRoles.contains))
        }
        if action == .verify || action == .rejectInvalid, context.preparedBy == actor.id || context.editors.contains(actor.id) {
            throw .fourEyesViolation(officer: actor.id)
        }
        return next
    }
}
