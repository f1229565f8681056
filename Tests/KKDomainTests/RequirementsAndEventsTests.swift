import Foundation
import KKDomain
import Testing

@Suite("Required documents and event envelopes")
struct RequirementsAndEventsTests {
    @Test("each reason requires the form, and its own document")
    func requirements() {
        #expect(Requirements.required(for: .dataChange) == [.statementForm, .supportingDocument])
        #expect(Requirements.required(for: .lost) == [.statementForm, .policeLossReport])
        #expect(Requirements.required(for: .damaged) == [.statementForm, .oldKK])
        #expect(Requirements.missing(for: .lost, received: [.statementForm]) == [.policeLossReport])
        #expect(Requirements.missing(for: .dataChange, received: [.supportingDocument, .supportingDocument, .statementForm]).isEmpty)
    }

    @Test("each data-change event needs the form and its own supporting documents, each with a name and an instruction")
    func eventRequirements() {
        #expect(Requirements.required(for: .dataChange, event: .birth) == [.statementForm, .birthProof])
        #expect(Requirements.required(for: .dataChange, event: .marriage) == [.statementForm, .marriageProof])
        #expect(Requirements.required(for: .dataChange, event: .movingIn) == [.statementForm, .movingCertificate])
        #expect(Requirements.required(for: .lost, event: .birth) == [.statementForm, .policeLossReport], "an event only shapes a data change")
        var used: Set<DocumentKind> = []
        for event in ChangeEvent.allCases {
            let documents = event.supportingDocuments
            #expect(!documents.isEmpty && !documents.contains(.statementForm) && !documents.contains(.supportingDocument), "\(event)")
            used.formUnion(documents)
            #expect(ChangeEvent(menuNumber: event.menuNumber) == event)
        }
        for kind in DocumentKind.allCases {
            #expect(!kind.indonesianName.isEmpty && kind.applicantInstruction.hasPrefix("foto "), "\(kind)")
        }
        // Every event document is asked for by some event; none is orphaned.
        let eventKinds = Set(DocumentKind.allCases).subtracting([.statementForm, .supportingDocument, .policeLossReport, .oldKK])
        #expect(used == eventKinds)
        #expect(DocumentKind.marriageProof.mayHaveSeveralPages && !DocumentKind.birthProof.mayHaveSeveralPages)
        #expect(ChangeEvent(menuNumber: 0) == nil && ChangeEvent(menuNumber: ChangeEvent.allCases.count + 1) == nil)
    }

    @Test("the missing-documents message names each document an applicant still has to send")
    func missingMessage() throws {
        let message = try #require(Requirements.missingMessage(for: .lost, received: []))
        #expect(message.contains("belum lengkap"))
        #expect(message.contains("1. foto formulir Surat Pernyataan Perubahan Elemen Data Kependudukan"))
        #expect(message.contains("2. foto Surat Keterangan Hilang dari Kepolisian"))
        let damaged = try #require(Requirements.missingMessage(for: .damaged, received: [.statementForm]))
        #expect(damaged.contains("KK lama"))
        #expect(!damaged.contains("Surat Pernyataan"))
        #expect(Requirements.missingMessage(for: .damaged, received: [.statementForm, .oldKK]) == nil)
    }

    @Test("an envelope round-trips through JSON and decodes to its typed payload")
    func envelopeRoundTrip() throws {
        let id = UUID()
        let payload = RequestReturned(requestNumber: "KK-20261124-000007", kind: .incomplete, missingDocuments: [.oldKK], reason: "Foto KK lama buram")
        let envelope = EventEnvelope(payload: payload, requestId: id, actor: Actor(role: .serviceOfficer, id: "siti"))
        let decoded = try EventEnvelope.decode(from: envelope.encoded())
        #expect(decoded == envelope)
        #expect(try decoded.decode(RequestReturned.self) == payload)
        try EventCatalog.sop.validate(decoded)
    }

    @Test(
        "an envelope read off the broker is its own encoding, and its payload reads the same as the one it was made from; a payload of the wrong shape fails when read, not before"
    )
    func receivedEnvelope() throws {
        let payload = RequestReturned(requestNumber: "KK-20261124-000008", kind: .invalid, missingDocuments: [], reason: "NIK tidak cocok \"✓\"")
        let made = EventEnvelope(payload: payload, requestId: nil, actor: Actor(role: .verifier, id: "bambang"))
        let wire = made.encoded()
        let received = try EventEnvelope.decode(from: wire)
        #expect(received.encoded() == wire)
        #expect(try received.payloadJSON() == (try made.payloadJSON()))
        #expect(try received.payloadValue() == (try made.payloadValue()))
        #expect(received.requestId == nil && received.actor == made.actor && received.occurredAt == made.occurredAt)
        let object = try #require(try JSONSerialization.jsonObject(with: wire) as? [String: Any])
        #expect(object["requestId"] == nil, "no request: the key is left out, as before")

        // The header is all there, the payload is not a RequestReturned: refused when it is read.
        var wrongShape = object
        wrongShape["payload"] = ["requestNumber": 7]
        let odd = try EventEnvelope.decode(from: try JSONSerialization.data(withJSONObject: wrongShape))
        #expect(throws: EventDecodingError.self) { try odd.decode(RequestReturned.self) }
        // No payload at all: the message itself is malformed.
        var noPayload = object
        noPayload["payload"] = nil
        #expect(throws: EventDecodingError.self) { try EventEnvelope.decode(from: try JSONSerialization.data(withJSONObject: noPayload)) }
    }

    @Test("an unknown type or an unsupported version is reported, never guessed")
    func unknownTypeAndVersion() throws {
        let actor = Actor(role: .system, id: "t")
        let unknown = EventEnvelope(
            id: UUID(), type: "kk.request.teleported", schemaVersion: 1, requestId: nil, occurredAt: Date(), actor: actor, payload: .object([:]))
        #expect(throws: EventDecodingError.unknownType("kk.request.teleported")) { try EventCatalog.sop.validate(unknown) }
        let future = EventEnvelope(
            id: UUID(), type: DocumentSigned.eventType, schemaVersion: 2, requestId: nil, occurredAt: Date(), actor: actor, payload: .object([:]))
        #expect(throws: EventDecodingError.unsupportedVersion(type: DocumentSigned.eventType, version: 2, supported: [1])) {
            try EventCatalog.sop.validate(future)
        }
        #expect(throws: EventDecodingError.unsupportedVersion(type: DocumentSigned.eventType, version: 2, supported: [1])) {
            try future.decode(DocumentSigned.self)
        }
        let other = EventEnvelope(payload: DraftVerified(requestNumber: "KK-20261124-000001", draftId: UUID(), verifiedBy: "b"), requestId: nil, actor: actor)
        #expect(throws: EventDecodingError.typeMismatch(expected: DocumentSigned.eventType, found: DraftVerified.eventType)) {
            try other.decode(DocumentSigned.self)
        }
        #expect(throws: EventDecodingError.self) { try EventEnvelope.decode(from: Data("{\"id\": 1}".utf8)) }
    }

    @Test("event times are written as ISO-8601 with milliseconds, as Foundation writes them, and read back to the millisecond, across eras and leap days")
    func eventTimes() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed = [-12_219_292_800.0, -2_208_988_800.0, -86_400.0, -0.001, 0, 951_782_400.0, 1_709_164_800.5, 4_107_542_399.999, 253_402_300_799.999]
        let dates =
            fixed.map(Date.init(timeIntervalSince1970:))
            + (0..<2000).map { _ in Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)) }
        for date in dates {
            // Foundation formats the whole seconds (from the Gregorian reform of 1582 on, as EventTime does);
            // the milliseconds are rounded, as an event carries them.
            let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
            let seconds = Int64((Double(ms) / 1000).rounded(.down))
            let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
            let text = EventTime.format(date)
            #expect(text == String(whole.dropLast()) + String(format: ".%03dZ", Int(ms - seconds * 1000)), "\(date.timeIntervalSince1970)")
            #expect(EventTime.parse(text) == EventTime.normalized(date), "\(text)")
        }
        // Other ISO-8601 forms go through Foundation's parser and land on the same instants (today's, at a whole second).
        let wire = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let text = EventTime.format(wire)
        #expect(text.hasSuffix(".000Z") && EventTime.parse(text) == wire)
        #expect(EventTime.parse(String(text.dropLast(5)) + "Z") == wire, "no fraction")
        let jakarta = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 7 * 3600)!)
        #expect(EventTime.parse(wire.addingTimeInterval(0.25).formatted(jakarta)) == wire.addingTimeInterval(0.25), "an offset")
        // A wire-form time out of range is refused, never rolled over into the next month or day.
        let year = text.prefix(4)
        for wrong in ["\(year)-02-30T00:00:00.000Z", "\(year)-13-01T00:00:00.000Z", "\(text.prefix(10))T24:00:00.000Z", "\(text.dropLast(2))xZ", "kemarin"] {
            #expect(EventTime.parse(wrong) == nil, "\(wrong)")
        }
    }

    @Test("request numbers format and parse")
    func requestNumbers() {
        let number = RequestNumber(date: CalendarDate(year: 2026, month: 11, day: 24)!, sequence: 123)
        #expect(number.description == "KK-20261124-000123")
        #expect(RequestNumber("kk-20261124-000123") == number)
        #expect(RequestNumber("KK-20260231-000001") == nil)
        #expect(RequestNumber("KK-20261124-000000") == nil)
    }
}
