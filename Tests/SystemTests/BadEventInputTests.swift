import Crypto
import Foundation
import Hex
import KKDomain
import KKMessaging
import KKStore
import KKTesting
import Kafka
import Postgres
import Testing

/// Issue 9, "bad input at every door", the topics': an event that breaks the
/// schema becomes a dead letter naming the problem, and no request changes.
@Suite("Bad input on the topics: events that break the schema are dead-lettered with their reason, no request changed", .serialized)
struct BadEventInputTests {
    @Test(
        "events that break the schema land in dead_letters with a reason naming the problem, are listed by kk-admin, and the consumers go on; no request changes"
    )
    func schemaViolations() async throws {
        let stack = try await SigningFlowTests.start(services: ["kk-entry", "kk-verify", "kk-sign"])
        defer { Records.stop(stack.daemons) }
        let protected = try await stack.completeRequest(.damaged, from: "6281500000031")
        let family = try await SigningFlowTests.kk(stack, 0)
        let followUp = try await stack.completeRequest(.lost, from: "6281500000032", as: family)
        let phone = "6281500000033"
        let ids = try await Records.ids(of: [protected, followUp], stack.pool)
        let protectedID = ids[protected]!
        let followUpID = ids[followUp]!
        let before = try await Records.requests(stack.pool)
        let siti = Actor(role: .serviceOfficer, id: "siti")
        // Bad messages share a key (so a partition) with the valid ones that come after them.
        let requestKey = followUpID.uuidString.lowercased()
        let applicantKey = RequestStore.applicantRef(for: phone)

        func envelope<P: EventPayload>(_ payload: P, requestId: UUID?, actor: Actor = siti, _ edit: (inout [String: Any]) -> Void = { _ in }) throws -> [UInt8]
        {
            var object = try #require(
                try JSONSerialization.jsonObject(with: EventEnvelope(payload: payload, requestId: requestId, actor: actor).encoded()) as? [String: Any])
            edit(&object)
            return Array(try JSONSerialization.data(withJSONObject: object))
        }
        let accepted = RequestAccepted(requestNumber: followUp, reason: .lost, documents: [])
        let inbound = WhatsAppInbound(
            whatsappMessageId: "wamid.schema-1", applicantRef: applicantKey, kind: .text, text: "halo", caption: nil, mediaId: nil,
            mediaSha256: nil, contentType: nil, fileName: nil, sentAt: Date(), limitBytes: nil)
        var bad: [BadEvent] = []
        // Not JSON at all, on every topic a running service consumes.
        let consumers: [(Topic, String, String)] = [
            (.waInbound, "kk-intake", applicantKey), (.requestsReturned, "kk-intake", requestKey), (.waOutbound, "kk-gateway", applicantKey),
            (.requestsAccepted, "kk-entry", requestKey), (.draftsSubmitted, "kk-verify", requestKey), (.draftsVerified, "kk-sign", requestKey),
        ]
        for (topic, consumer, key) in consumers {
            bad.append(
                BadEvent("not JSON on \(topic.rawValue)", topic, key, Array("bukan peristiwa JSON (\(topic.rawValue))".utf8), consumer, ["undecodable message"])
            )
        }
        bad += [
            BadEvent("truncated JSON", .requestsAccepted, requestKey, Array(#"{"id": "9b1c"#.utf8), "kk-entry", ["undecodable message", "malformed event"]),
            BadEvent("a JSON array", .draftsSubmitted, requestKey, Array("[]".utf8), "kk-verify", ["undecodable message", "malformed event"]),
            // A field of the envelope missing.
            BadEvent(
                "no actor", .requestsAccepted, requestKey, try envelope(accepted, requestId: followUpID) { $0["actor"] = nil }, "kk-entry",
                ["undecodable message", "\"actor\""]),
            BadEvent(
                "no type", .waInbound, applicantKey,
                try envelope(inbound, requestId: nil, actor: Actor(role: .applicant, id: applicantKey)) { $0["type"] = nil },
                "kk-intake", ["undecodable message", "\"type\""]),
            // A field of the payload missing or of the wrong type.
            BadEvent(
                "no draftId", .draftsSubmitted, requestKey,
                try envelope(DraftSubmitted(requestNumber: followUp, draftId: UUID(), preparedBy: "siti"), requestId: followUpID) {
                    var payload = $0["payload"] as! [String: Any]
                    payload["draftId"] = nil
                    $0["payload"] = payload
                }, "kk-verify", ["payload of '\(DraftSubmitted.eventType)'", "draftId"]),
            BadEvent(
                "requestNumber a number", .draftsVerified, requestKey,
                try envelope(DraftVerified(requestNumber: followUp, draftId: UUID(), verifiedBy: "bambang"), requestId: followUpID) {
                    var payload = $0["payload"] as! [String: Any]
                    payload["requestNumber"] = 20_261_125
                    $0["payload"] = payload
                }, "kk-sign", ["payload of '\(DraftVerified.eventType)'", "requestNumber"]),
            // An event type nobody knows.
            BadEvent(
                "unknown type", .requestsAccepted, requestKey, try envelope(accepted, requestId: followUpID) { $0["type"] = "kk.request.teleported" },
                "kk-entry", ["kk.request.teleported"]),
            BadEvent(
                "unknown type on wa.inbound", .waInbound, applicantKey,
                try envelope(inbound, requestId: nil, actor: Actor(role: .applicant, id: applicantKey)) { $0["type"] = "wa.inbound.hologram" },
                "kk-intake", ["wa.inbound.hologram"]),
            // A schema version this build does not read.
            BadEvent(
                "schema version 99", .requestsAccepted, requestKey, try envelope(accepted, requestId: followUpID) { $0["schemaVersion"] = 99 },
                "kk-entry", ["event '\(RequestAccepted.eventType)' has schema version 99; this build reads \(RequestAccepted.schemaVersion)"]),
            BadEvent(
                "schema version 2 on wa.inbound", .waInbound, applicantKey,
                try envelope(inbound, requestId: nil, actor: Actor(role: .applicant, id: applicantKey)) { $0["schemaVersion"] = 2 },
                "kk-intake", ["event '\(WhatsAppInbound.eventType)' has schema version 2; this build reads \(WhatsAppInbound.schemaVersion)"]),
            // About a request on record, but it is not in the state the event claims (only submitted; no draft exists).
            BadEvent(
                "verified while only submitted", .draftsVerified, protectedID.uuidString.lowercased(),
                try envelope(DraftVerified(requestNumber: protected, draftId: UUID(), verifiedBy: "bambang"), requestId: protectedID),
                "kk-sign", [protected, "not on record"]),
            BadEvent(
                "print request while only submitted", .draftsSubmitted, protectedID.uuidString.lowercased(),
                try envelope(DraftSubmitted(requestNumber: protected, draftId: UUID(), preparedBy: "siti"), requestId: protectedID),
                "kk-verify", [protected, "not on record"]),
        ]
        // Accepted (SOP 2 done) for a request that was never opened: the issue asks for a dead letter too.
        let early = EventEnvelope(payload: RequestAccepted(requestNumber: protected, reason: .damaged, documents: []), requestId: protectedID, actor: siti)
        try await Records.publish(
            [(.requestsAccepted, protectedID.uuidString.lowercased(), Array(early.encoded()))] + bad.map { ($0.topic, $0.key, $0.value) }, stack: stack)

        // kk-intake reads the print-request and verification events too (to tell the applicant):
        // it refuses the bad ones as well, each consumer with a dead letter of its own.
        let alsoIntake: Set<Topic> = [.draftsSubmitted, .draftsVerified]
        try await TestStack.waitFor("every consumer's dead letter for each of the \(bad.count) bad messages") {
            for event in bad {
                let letters = try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters WHERE payload = \(event.value)", in: stack.pool)
                if letters < (alsoIntake.contains(event.topic) ? 2 : 1) { return false }
            }
            return true
        }
        let listed = try stack.admin(["deadletter", "list"])
        #expect(listed.status == 0, "\(listed.output)")
        for event in bad {
            let rows = try await stack.pool.query("SELECT id, consumer, topic, reason FROM dead_letters WHERE payload = \(event.value)").rows
            let expected = Set([event.consumer] + (alsoIntake.contains(event.topic) ? ["kk-intake"] : []))
            let consumers = try rows.map { try $0.decode("consumer", as: String.self) }
            #expect(consumers.count == expected.count && Set(consumers) == expected, "\(event.label): dead letters of \(consumers), expected \(expected)")
            if rows.isEmpty { Issue.record("\(event.label): no dead letter; dead letters: \(try await Records.deadLetters(stack.pool))") }
            for row in rows {
                let id = try row.decode("id", as: Int64.self)
                let reason = try row.decode("reason", as: String.self)
                let consumer = try row.decode("consumer", as: String.self)
                #expect(try row.decode("topic", as: String.self) == stack.environment["KK_TOPIC_PREFIX"]! + event.topic.rawValue)
                for fragment in event.reason {
                    #expect(reason.contains(fragment), "\(event.label) (\(consumer)): the reason does not say \"\(fragment)\": \(reason)")
                }
                #expect(
                    listed.output.contains("#\(id)\t\(consumer)\t") && listed.output.contains(reason),
                    "\(event.label): not listed by kk-admin: \(listed.output)")
            }
        }
        try await TestStack.waitFor("kk-entry to take the early kk.requests.accepted") {
            try await TestStack.count(
                "SELECT count(*)::bigint AS n FROM inbox WHERE consumer = 'kk-entry' AND message_id = \(early.id.uuidString.lowercased())", in: stack.pool) == 1
        }
        let earlyLetters = try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters WHERE payload = \(Array(early.encoded()))", in: stack.pool)
        #expect(earlyLetters == 1, "kk.requests.accepted for \(protected), still submitted, is in dead_letters")
        let earlyReason = try await stack.pool.query("SELECT reason FROM dead_letters WHERE payload = \(Array(early.encoded()))").rows.first?
            .decode("reason", as: String.self)
        #expect(earlyReason?.contains("ahead of the record") == true, "\(earlyReason ?? "no dead letter")")
        // No request moved, and none was queued by the bad events.
        #expect(try await Records.requests(stack.pool) == before)
        // (The complete requests made before them wait in the intake queue, as they did.)
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM officer_queue WHERE queue <> 'penerimaan'", in: stack.pool) == 0)

        // The consumers went on: an applicant's "halo" is answered (kk-intake, kk-gateway), and the follow-up
        // request goes from opening to the Kepala Dinas' queue (kk-entry, kk-verify, kk-sign).
        let greeting = try await stack.ask("halo", from: phone)
        #expect(greeting.contains("Selamat datang di layanan Kartu Keluarga"), "\(greeting)")
        #expect(try stack.officer("siti", ["open", followUp]).status == 0)
        _ = try await stack.waitInQueue(followUp, officer: "siti", tool: "kk-entry")
        #expect(try stack.officer("siti", ["take", followUp, "--kk", family.kkNumber.value], tool: "kk-entry").status == 0)
        #expect(try stack.officer("siti", ["submit", followUp], tool: "kk-entry").status == 0)
        _ = try await stack.waitInQueue(followUp, officer: "bambang", tool: "kk-verify")
        #expect(try stack.officer("bambang", ["approve", followUp], tool: "kk-verify").status == 0)
        _ = try await stack.waitInQueue(followUp, officer: "wahyuni", tool: "kk-sign")
        let letters = Int64(bad.count + bad.filter { alsoIntake.contains($0.topic) }.count) + earlyLetters
        #expect(try await TestStack.count("SELECT count(*)::bigint AS n FROM dead_letters", in: stack.pool) == letters, "the valid messages went through")
        let after = try await Records.requests(stack.pool)
        #expect(after.filter { !$0.hasPrefix(followUp) } == before.filter { !$0.hasPrefix(followUp) }, "only the follow-up request moved")
    }
}

/// A message that breaks the event schema, and the dead letter it must become.
struct BadEvent {
    let label: String
    let topic: Topic
    let key: String
    let value: [UInt8]
    let consumer: String
    let reason: [String]

    init(_ label: String, _ topic: Topic, _ key: String, _ value: [UInt8], _ consumer: String, _ reason: [String]) {
        self.label = label
        self.topic = topic
        self.key = key
        self.value = value
        self.consumer = consumer
        self.reason = reason
    }
}
