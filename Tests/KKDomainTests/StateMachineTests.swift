import KKDomain
import PropertyBased
import Testing

/// The SOP's arrows, written out by hand from MISSION.md (not derived from the
/// machine), as (action, from, reasons, to, roles).
private struct Arrow {
    let action: RequestAction
    let from: RequestState
    let reasons: Set<RequestReason>
    let to: RequestState
    let roles: Set<Role>
}

private let all = Set(RequestReason.allCases)
private let withEntry: Set<RequestReason> = [.dataChange, .damaged]
private let officer: Set<Role> = [.serviceOfficer]

private let sop: [Arrow] =
    [
        Arrow(action: .submit, from: .collectingDocuments, reasons: all, to: .submitted, roles: [.applicant, .system]),
        Arrow(action: .open, from: .submitted, reasons: all, to: .opened, roles: officer),
        Arrow(action: .returnIncomplete, from: .submitted, reasons: all, to: .returnedIncomplete, roles: officer),
        Arrow(action: .returnIncomplete, from: .opened, reasons: all, to: .returnedIncomplete, roles: officer),
        Arrow(action: .returnIncomplete, from: .entered, reasons: all, to: .returnedIncomplete, roles: officer),
        Arrow(action: .enter, from: .opened, reasons: withEntry, to: .entered, roles: officer),
        Arrow(action: .enter, from: .entered, reasons: withEntry, to: .entered, roles: officer),
        Arrow(action: .submitPrintRequest, from: .entered, reasons: withEntry, to: .printRequested, roles: officer),
        Arrow(action: .submitPrintRequest, from: .opened, reasons: [.lost, .damaged], to: .printRequested, roles: officer),
        Arrow(action: .verify, from: .printRequested, reasons: all, to: .verified, roles: [.verifier]),
        Arrow(action: .rejectInvalid, from: .printRequested, reasons: all, to: .returnedInvalid, roles: [.verifier]),
        Arrow(action: .sign, from: .verified, reasons: all, to: .signed, roles: [.headOfDepartment]),
        Arrow(action: .deliver, from: .signed, reasons: all, to: .delivered, roles: [.printOfficer, .system]),
        Arrow(action: .archive, from: .delivered, reasons: all, to: .archived, roles: [.printOfficer, .system]),
        Arrow(action: .resubmit, from: .returnedIncomplete, reasons: all, to: .submitted, roles: [.applicant, .system]),
        Arrow(action: .resubmit, from: .returnedInvalid, reasons: all, to: .submitted, roles: [.applicant, .system]),
    ]
    + [RequestState.collectingDocuments, .submitted, .opened, .entered, .printRequested, .verified, .returnedIncomplete, .returnedInvalid].map {
        Arrow(action: .cancel, from: $0, reasons: all, to: .cancelled, roles: [.applicant])
    }

@Suite("The SOP state machine")
struct StateMachineTests {
    @Test("every state x action x role x reason: the SOP's arrows succeed, everything else is a typed error")
    func exhaustive() throws {
        var legal = 0
        var refused = 0
        for reason in RequestReason.allCases {
            for state in RequestState.allCases {
                for action in RequestAction.allCases {
                    let arrow = sop.first { $0.action == action && $0.from == state && $0.reasons.contains(reason) }
                    for role in Role.allCases {
                        let actor = Actor(role: role, id: "someone")
                        let context = TransitionContext(reason: reason, preparedBy: "petugas-entri")
                        do {
                            let next = try RequestStateMachine.apply(action, to: state, by: actor, context: context)
                            #expect(arrow != nil && arrow!.roles.contains(role), "\(role) \(action) in \(state) (\(reason)) should be refused")
                            #expect(next == arrow?.to)
                            legal += 1
                        } catch {
                            refused += 1
                            switch error {
                            case let .illegalAction(a, s, allowed, nextActors):
                                #expect(arrow == nil, "\(action) in \(state) (\(reason)) should be possible")
                                #expect(a == action && s == state)
                                let expectedAllowed = Set(sop.filter { $0.from == state && $0.reasons.contains(reason) }.map(\.action))
                                #expect(Set(allowed) == expectedAllowed)
                                let expectedNext = Set(sop.filter { $0.from == state && $0.reasons.contains(reason) && $0.action != .cancel }.flatMap(\.roles))
                                #expect(Set(nextActors) == expectedNext)
                            case let .roleNotAllowed(a, r, allowedRoles):
                                #expect(arrow != nil && !arrow!.roles.contains(role))
                                #expect(a == action && r == role && Set(allowedRoles) == arrow!.roles)
                            case .noDataEntryForLostKK:
                                #expect(reason == .lost && action == .enter && (state == .opened || state == .entered))
                            case .fourEyesViolation:
                                Issue.record("four eyes cannot trigger: actor id differs from preparedBy")
                            }
                        }
                    }
                }
            }
        }
        #expect(legal > 0 && refused > 0)
    }

    @Test("the verifier may not be the officer who prepared the draft, for approval and for rejection")
    func fourEyes() {
        let context = TransitionContext(reason: .dataChange, preparedBy: "siti")
        for action in [RequestAction.verify, .rejectInvalid] {
            #expect(throws: TransitionError.fourEyesViolation(officer: "siti")) {
                try RequestStateMachine.apply(action, to: .printRequested, by: Actor(role: .verifier, id: "siti"), context: context)
            }
        }
        #expect(throws: Never.self) {
            try RequestStateMachine.apply(.verify, to: .printRequested, by: Actor(role: .verifier, id: "bambang"), context: context)
        }
    }

    @Test("a lost KK has no data entry: entering is refused, the print request follows opening directly")
    func lostKKSkipsEntry() throws {
        let officer = Actor(role: .serviceOfficer, id: "siti")
        let lost = TransitionContext(reason: .lost)
        #expect(throws: TransitionError.noDataEntryForLostKK) { try RequestStateMachine.apply(.enter, to: .opened, by: officer, context: lost) }
        #expect(try RequestStateMachine.apply(.submitPrintRequest, to: .opened, by: officer, context: lost) == .printRequested)
        let change = TransitionContext(reason: .dataChange)
        #expect(throws: TransitionError.self) { try RequestStateMachine.apply(.submitPrintRequest, to: .opened, by: officer, context: change) }
        #expect(!RequestReason.lost.hasDataEntry)
        #expect(RequestReason.damaged.hasDataEntry)
    }

    @Test("an illegal transition's message names the state and who acts next, in Indonesian")
    func illegalMessage() {
        do {
            _ = try RequestStateMachine.apply(
                .sign, to: .printRequested, by: Actor(role: .headOfDepartment, id: "kadis"), context: TransitionContext(reason: .lost))
            Issue.record("signing a draft that is not verified was allowed")
        } catch {
            #expect(error.description.contains("Permohonan cetak menunggu verifikasi Kasi/Kabid"))
            #expect(error.description.contains("Kasi/Kabid"))
        }
    }

    @Test("any sequence of actions keeps the request in a known state, and terminal states accept only nothing")
    func randomWalks() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let reason = RequestReason.allCases[Int(rng.next() % 3)]
            var state = RequestState.collectingDocuments
            for _ in 0..<40 {
                let action = RequestAction.allCases[Int(rng.next() % UInt64(RequestAction.allCases.count))]
                let role = Role.allCases[Int(rng.next() % UInt64(Role.allCases.count))]
                if let next = try? RequestStateMachine.apply(
                    action, to: state, by: Actor(role: role, id: "x"), context: TransitionContext(reason: reason, preparedBy: "y"))
                {
                    #expect(!state.isTerminal, "a terminal state moved on")
                    state = next
                }
            }
            #expect(RequestState.allCases.contains(state))
        }
    }

    @Test("from every state that is not terminal a path leads to archived or cancelled")
    func alwaysAWayOut() {
        for reason in RequestReason.allCases {
            for start in RequestState.allCases where !start.isTerminal {
                var seen: Set<RequestState> = [start]
                var frontier = [start]
                while let s = frontier.popLast() {
                    for action in RequestStateMachine.allowedActions(in: s, reason: reason) {
                        if let next = RequestStateMachine.target(of: action, from: s, reason: reason), seen.insert(next).inserted {
                            frontier.append(next)
                        }
                    }
                }
                #expect(seen.contains(.archived) || seen.contains(.cancelled), "\(start) (\(reason)) is a dead end")
                if start != .signed && start != .delivered { #expect(seen.contains(.cancelled)) }
                #expect(seen.contains(.archived), "\(start) (\(reason)) can never be archived")
            }
        }
    }

    @Test("each SOP step has its time standard: 3, 1, 5, 1, 1, 1, 1, 1, 0, 1 minutes")
    func timeStandards() {
        #expect(SOPStep.allCases.map { Int($0.timeStandard.components.seconds / 60) } == [3, 1, 5, 1, 1, 1, 1, 1, 0, 1])
        #expect(SOPStep.s7.actor == .headOfDepartment)
        #expect(RequestAction.sign.completesStep == .s7)
        #expect(RequestState.archived.reachedStep == .s10)
    }
}

/// A tiny deterministic generator for the random walks.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
