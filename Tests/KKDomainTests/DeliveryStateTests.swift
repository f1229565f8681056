import KKDomain
import Testing

@Suite("The delivery of a signed KK (SOP 8-9) as states and moves")
struct DeliveryStateTests {
    @Test("delivered is final; every other state can still be confirmed by a receipt, or sent again")
    func deliveredIsFinal() {
        for next in DeliveryState.allCases { #expect(!DeliveryState.delivered.allows(next), "delivered -> \(next)") }
        #expect(DeliveryState.unconfirmed == [.sending, .retrying, .needsOfficer, .inDoubt])
        for state in DeliveryState.unconfirmed {
            #expect(state.allows(.delivered) && state.allows(.sending), "\(state)")
        }
    }

    @Test("only an attempt awaiting its receipt fails, goes in doubt or to the officer; the officer's cases wait for the officer")
    func officerCases() {
        for state in DeliveryState.awaitingReceipt {
            #expect(state.allows(.retrying) && state.allows(.inDoubt) && state.allows(.needsOfficer), "\(state)")
        }
        for state in DeliveryState.withOfficer {
            #expect(!state.allows(.retrying) && !state.allows(.inDoubt) && !state.allows(.needsOfficer), "\(state)")
        }
        #expect(Set(DeliveryState.awaitingReceipt).isDisjoint(with: DeliveryState.withOfficer))
    }
}
