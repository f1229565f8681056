import Foundation
import KKConfiguration
import KKDomain
import KKMessaging
import KKStore
import Postgres

/// One applicant's guided conversation: choose a service, send each required
/// document by name, get a request number, ask for the status, cancel. Runs
/// inside the consumer's transaction, so a message is handled exactly once.
struct ApplicantConversation {
    struct Reply {
        let text: String
        let requestID: UUID?
    }

    let applicantRef: String
    let tx: PostgresTransaction
    var policy = IntakePolicy()
    /// When the message is handled, and the office's hours: outside them the
    /// greeting and the "complete" reply say when officers take it up.
    var now = Date()
    var calendar = OfficeHours.calendar

    /// `text`, with the office-closed notice below it when the office is closed now.
    private func withOfficeHours(_ text: String) -> String {
        IntakeTexts.officeClosed(at: now, calendar: calendar).map { text + "\n\n" + $0 } ?? text
    }

    private var applicant: Actor { Actor(role: .applicant, id: applicantRef) }

    func receive(_ inbound: WhatsAppInbound) async throws -> [Reply] {
        // Nothing of the conversation is kept before the applicant agrees to the privacy notice.
        guard try await ApplicantConsents.hasAgreed(applicantRef, in: tx) else { return try await beforeConsent(inbound) }
        var conversation = try await ConversationStore.load(applicantRef, in: tx)
        let replies: [Reply]
        switch inbound.kind {
        case .text:
            replies = try await text(inbound.text ?? "", &conversation)
        case .image, .document:
            replies = try await document(inbound, &conversation)
        case .unsupported:
            replies = [Reply(text: IntakeTexts.unsupported(inbound.whatsappType, hint: try await hint(conversation)), requestID: conversation.requestID)]
        case .mediaTooLarge:
            replies = [Reply(text: IntakeTexts.tooLarge(limitBytes: inbound.limitBytes, hint: try await hint(conversation)), requestID: conversation.requestID)]
        case .rateLimited:
            replies = [Reply(text: IntakeTexts.rateLimited, requestID: conversation.requestID)]
        case .quotaExceeded:
            replies = [Reply(text: IntakeTexts.quotaExceeded, requestID: conversation.requestID)]
        case .mediaUnavailable:
            replies = [Reply(text: IntakeTexts.mediaUnavailable(hint: try await hint(conversation)), requestID: conversation.requestID)]
        case .awaitingConsent:
            // Sent before the agreement was recorded (the gateway checked just before): not stored, send again.
            replies = [Reply(text: IntakeTexts.sendAgainAfterConsent(hint: try await hint(conversation)), requestID: conversation.requestID)]
        }
        try await ConversationStore.save(conversation, in: tx)
        return replies
    }

    // MARK: consent

    /// Every message before the agreement gets the privacy notice; "SETUJU" records
    /// the agreement and opens the menu (or the request being completed).
    private func beforeConsent(_ inbound: WhatsAppInbound) async throws -> [Reply] {
        let english = inbound.kind == .text && ApplicantLanguage.of(inbound.text ?? "") == .english
        let reply: String
        switch inbound.kind {
        case .text:
            switch ConsentAnswer.read(inbound.text ?? "") {
            case .agree?:
                try await ApplicantConsents.agree(applicantRef, noticeVersion: IntakeTexts.privacyNoticeVersion, in: tx)
                var conversation = try await ConversationStore.load(applicantRef, in: tx)
                let next: String
                if let hint = try await hint(conversation) {
                    next = hint
                } else {
                    conversation.stage = .choosing
                    conversation.requestID = nil
                    next = withOfficeHours(IntakeTexts.greeting)
                }
                try await ConversationStore.save(conversation, in: tx)
                return [Reply(text: IntakeTexts.consentRecorded + "\n\n" + next, requestID: conversation.requestID)]
            case .refuse?:
                reply = IntakeTexts.consentRefused
            case nil:
                reply = IntakeTexts.privacyNotice(policy.retention)
            }
        case .rateLimited:
            reply = IntakeTexts.rateLimited
        case .awaitingConsent, .image, .document:
            reply = IntakeTexts.privacyNotice(policy.retention) + "\n\n" + IntakeTexts.fileNotKeptBeforeConsent
        default:
            reply = IntakeTexts.privacyNotice(policy.retention)
        }
        return [Reply(text: english ? IntakeTexts.englishConsentNote + "\n\n" + reply : reply, requestID: nil)]
    }

    // MARK: text

    private func text(_ text: String, _ conversation: inout Conversation) async throws -> [Reply] {
        if conversation.stage == .identifying, ApplicantIdentity.looksLikeNumbers(text) {
            return [try await identify(text, &conversation)]
        }
        let intent = ApplicantIntent.parse(text, stage: conversation.stage)
        var replies = try await answer(intent, text: text, &conversation)
        // English writers get one short English line first; the office's replies stay in Indonesian.
        if ApplicantLanguage.of(text) == .english, let first = replies.first {
            replies[0] = Reply(text: IntakeTexts.englishNote(for: intent) + "\n\n" + first.text, requestID: first.requestID)
        }
        return replies
    }

    private func answer(_ intent: ApplicantIntent, text: String, _ conversation: inout Conversation) async throws -> [Reply] {
        if conversation.stage == .rating, !intent.isScore {
            // Anything but a score moves on: the question is not asked again.
            conversation.stage = .idle
            conversation.requestID = nil
        }
        switch intent {
        case .menu:
            conversation.stage = .choosing
            return [Reply(text: withOfficeHours(IntakeTexts.greeting), requestID: nil)]
        case .choose(.dataChange):
            // "anak saya baru lahir" names its event; "perubahan data" gets the list of events.
            if let event = ChangeEvent.mentioned(in: text) { return [try await start(.dataChange, event: event, &conversation)] }
            if let unfinished = try await resumeUnfinished(&conversation) { return [unfinished] }
            conversation.stage = .choosingEvent
            return [Reply(text: IntakeTexts.eventMenu, requestID: nil)]
        case let .choose(reason):
            return [try await start(reason, event: nil, &conversation)]
        case let .event(event):
            return [try await start(.dataChange, event: event, &conversation)]
        case .documentComplete:
            if conversation.stage == .collecting, let id = conversation.requestID,
                try await ConversationStore.currentPages(id, in: tx) > 0
            {
                let request = try await RequestStore.load(id, in: tx)
                if request.state.awaitsApplicant {
                    return [try await finishDocument(of: request, &conversation)]
                }
            }
            return try await answer(.unknown, text: text, &conversation)
        case .statusAll:
            let requests = try await ownRequests(limit: 5)
            return [Reply(text: requests.isEmpty ? IntakeTexts.noRequests : IntakeTexts.statusList(requests), requestID: nil)]
        case let .status(number):
            guard let request = try await ownRequest(number) else { return [Reply(text: IntakeTexts.notFound(number), requestID: nil)] }
            let pending = try await ConversationStore.pending(request.id, in: tx)
            if request.state.awaitsApplicant, try await collectingOther(than: request.id, conversation) == nil {
                try await resume(request.id, &conversation)
            }
            return [Reply(text: IntakeTexts.status(request, pending: request.state.awaitsApplicant ? pending : []), requestID: request.id)]
        case let .cancel(number):
            return [try await askToCancel(number, &conversation)]
        case .confirm:
            guard let id = conversation.requestID else {
                conversation.stage = .idle
                return [Reply(text: IntakeTexts.cancelDeclined, requestID: nil)]
            }
            let request = try await RequestStore.load(id, in: tx)
            conversation.stage = .idle
            conversation.requestID = nil
            guard RequestStateMachine.target(of: .cancel, from: request.state, reason: request.reason) != nil else {
                return [Reply(text: IntakeTexts.cannotCancel(request), requestID: id)]
            }
            try await RequestStore.transition(id, action: .cancel, by: applicant, note: "dibatalkan pemohon lewat WhatsApp", in: tx)
            try await OfficerQueue.withdraw(id, in: tx)
            return [Reply(text: IntakeTexts.cancelled(number: request.number), requestID: id)]
        case .decline:
            conversation.stage = .idle
            if let id = conversation.requestID, let request = try? await RequestStore.load(id, in: tx), request.state.awaitsApplicant {
                let pending = try await ConversationStore.pending(id, in: tx)
                if !pending.isEmpty {
                    try await resume(id, &conversation)
                    return [
                        Reply(
                            text: "Baik, permohonan \(request.number) tidak dibatalkan.\n" + IntakeTexts.waitingFor(number: request.number, pending: pending),
                            requestID: id)
                    ]
                }
            }
            conversation.requestID = nil
            return [Reply(text: IntakeTexts.cancelDeclined, requestID: nil)]
        case let .score(score):
            conversation.stage = .idle
            guard let id = conversation.requestID else { return [Reply(text: IntakeTexts.notUnderstood, requestID: nil)] }
            conversation.requestID = nil
            let request = try await RequestStore.load(id, in: tx)
            try await tx.execute("INSERT INTO satisfaction_scores (request_id, score) VALUES (\(id), \(score)) ON CONFLICT (request_id) DO NOTHING")
            return [Reply(text: IntakeTexts.scored(score, number: request.number), requestID: id)]
        case .unknown:
            if conversation.stage == .identifying, let id = conversation.requestID {
                return [Reply(text: IntakeTexts.askIdentity(number: try await RequestStore.load(id, in: tx).number), requestID: id)]
            }
            if conversation.stage == .collecting, let id = conversation.requestID {
                let pending = try await ConversationStore.pending(id, in: tx)
                let request = try await RequestStore.load(id, in: tx)
                if request.state.awaitsApplicant, !pending.isEmpty {
                    let pages = try await ConversationStore.currentPages(id, in: tx)
                    return [Reply(text: IntakeTexts.waitingFor(number: request.number, pending: pending, pagesOfFirst: pages), requestID: id)]
                }
            }
            if conversation.stage == .choosingEvent {
                return [Reply(text: "Maaf, kami belum memahami pilihan Anda.\n" + IntakeTexts.eventMenu, requestID: nil)]
            }
            conversation.stage = .choosing
            return [Reply(text: IntakeTexts.notUnderstood, requestID: nil)]
        }
    }

    /// The applicant's request still being collected for the first time, to
    /// finish before a new one (one at a time keeps photos unambiguous).
    private func resumeUnfinished(_ conversation: inout Conversation) async throws -> Reply? {
        guard let unfinished = try await collectingOther(than: nil, conversation) else { return nil }
        try await resume(unfinished.id, &conversation)
        let pending = try await ConversationStore.pending(unfinished.id, in: tx)
        let identified = conversation.stage == .collecting
        return Reply(text: IntakeTexts.unfinishedRequest(unfinished, pending: pending, identified: identified), requestID: unfinished.id)
    }

    /// Makes `requestID` the request the conversation completes: its documents
    /// next, or first the applicant's identity when it was never given.
    private func resume(_ requestID: UUID, _ conversation: inout Conversation) async throws {
        conversation.requestID = requestID
        conversation.stage = try await ApplicantIdentities.load(requestID, in: tx) == nil ? .identifying : .collecting
    }

    // MARK: identity

    /// The applicant's NIK (and KK number) for the request being made: matched
    /// against the register and recorded either way; a mismatch is for the
    /// service officer to check, the applicant goes on sending documents.
    private func identify(_ text: String, _ conversation: inout Conversation) async throws -> Reply {
        guard let id = conversation.requestID else { throw MessageRejected("an identifying conversation without a request") }
        let request = try await RequestStore.load(id, in: tx)
        let today = CalendarDate(now)
        switch ApplicantIdentity.read(text, referenceYear: today.year) {
        case let .failure(problem):
            return Reply(text: IntakeTexts.identityNotRead(problem, number: request.number), requestID: id)
        case let .success(identity):
            let verdict = try await ApplicantIdentities.check(identity, members: policy.members, today: today, in: tx)
            try await ApplicantIdentities.record(identity, verdict: verdict, for: id, in: tx)
            conversation.stage = .collecting
            let pending = try await ConversationStore.pending(id, in: tx)
            return Reply(text: IntakeTexts.identityRecorded(verdict, identity, number: request.number, next: pending), requestID: id)
        }
    }

    /// A new request, unless one is still being collected.
    private func start(_ reason: RequestReason, event: ChangeEvent?, _ conversation: inout Conversation) async throws -> Reply {
        if let unfinished = try await resumeUnfinished(&conversation) { return unfinished }
        guard let phone = try await WhatsAppContacts.find(applicantRef, on: tx)?.phone else {
            throw MessageRejected("no WhatsApp contact recorded for \(applicantRef); the gateway records one with every message")
        }
        let (request, _) = try await RequestStore.create(reason: reason, event: event, applicantPhone: phone, actor: applicant, in: tx)
        let required = request.requiredDocuments
        try await ConversationStore.setPending(request.id, applicantRef: applicantRef, required, in: tx)
        // Who is asking comes first: the documents follow the identity.
        conversation.stage = .identifying
        conversation.requestID = request.id
        return Reply(text: IntakeTexts.started(request, required: required), requestID: request.id)
    }

    private func askToCancel(_ number: String?, _ conversation: inout Conversation) async throws -> Reply {
        let target: RequestRecord
        if let number {
            guard let request = try await ownRequest(number) else { return Reply(text: IntakeTexts.notFound(number), requestID: nil) }
            guard request.isCancellable else { return Reply(text: IntakeTexts.cannotCancel(request), requestID: request.id) }
            target = request
        } else {
            let candidates = try await ownRequests(limit: 20).filter(\.isCancellable)
            if let current = candidates.first(where: { $0.id == conversation.requestID && conversation.stage == .collecting }) {
                target = current
            } else if candidates.count == 1 {
                target = candidates[0]
            } else if candidates.isEmpty {
                return Reply(text: IntakeTexts.nothingToCancel, requestID: nil)
            } else {
                return Reply(text: IntakeTexts.chooseToCancel(candidates), requestID: nil)
            }
        }
        conversation.stage = .confirmingCancel
        conversation.requestID = target.id
        return Reply(text: IntakeTexts.confirmCancel(target), requestID: target.id)
    }

    // MARK: documents

    private func document(_ inbound: WhatsAppInbound, _ conversation: inout Conversation) async throws -> [Reply] {
        if conversation.stage == .choosingEvent {
            return [Reply(text: IntakeTexts.eventFirst, requestID: nil)]
        }
        if conversation.stage == .identifying, let id = conversation.requestID {
            return [Reply(text: IntakeTexts.identityFirst(number: try await RequestStore.load(id, in: tx).number), requestID: id)]
        }
        guard conversation.stage == .collecting, let id = conversation.requestID else {
            conversation.stage = .choosing
            return [Reply(text: IntakeTexts.nothingToAttach, requestID: nil)]
        }
        let request = try await RequestStore.load(id, in: tx)
        let pending = try await ConversationStore.pending(id, in: tx)
        guard request.state.awaitsApplicant, !pending.isEmpty else {
            conversation.stage = .choosing
            conversation.requestID = nil
            return [Reply(text: IntakeTexts.nothingToAttach, requestID: nil)]
        }
        let type = inbound.contentType ?? "application/octet-stream"
        guard type.hasPrefix("image/") || type == "application/pdf" else {
            return [Reply(text: IntakeTexts.wrongFileType(type, hint: try await hint(conversation)), requestID: id)]
        }
        guard let mediaID = inbound.mediaId else { throw MessageRejected("a \(inbound.kind.rawValue) message without a stored media id") }
        let kind = pending[0]
        let page = try await ConversationStore.currentPages(id, in: tx) + 1
        guard try await MediaFiles.attach(mediaID, to: id, as: kind, page: page, in: tx) else {
            throw MessageRejected("media \(mediaID) is not in the media store, or belongs to another request")
        }
        // A document of several pages stays open for the next page until the
        // applicant says it is complete ("lanjut", also as the last photo's
        // caption); a PDF is the whole document.
        let saysComplete = inbound.caption.map(ApplicantIntent.captionCompletesDocument) ?? false
        if kind.mayHaveSeveralPages, type != "application/pdf", !saysComplete {
            try await ConversationStore.setCurrentPages(id, page, in: tx)
            return [Reply(text: IntakeTexts.pageReceived(kind, page: page, number: request.number, next: pending.dropFirst().first), requestID: id)]
        }
        return [try await finishDocument(of: request, &conversation)]
    }

    /// The document being collected is complete: ask for the next one, or
    /// hand the request to the service officer when nothing is missing.
    private func finishDocument(of request: RequestRecord, _ conversation: inout Conversation) async throws -> Reply {
        let id = request.id
        var pending = try await ConversationStore.pending(id, in: tx)
        let kind = pending.removeFirst()
        try await ConversationStore.setPending(id, applicantRef: applicantRef, pending, in: tx)
        if !pending.isEmpty {
            return Reply(text: IntakeTexts.received(kind, number: request.number, stillMissing: pending), requestID: id)
        }
        conversation.stage = .idle
        conversation.requestID = nil
        if request.state == .collectingDocuments {
            try await RequestStore.transition(id, action: .submit, by: applicant, in: tx)
            try await OfficerQueue.intake.add(id, in: tx)
            return Reply(text: withOfficeHours(IntakeTexts.complete(request)), requestID: id)
        }
        try await RequestStore.transition(id, action: .resubmit, by: applicant, note: "dilengkapi pemohon: \(kind.indonesianName)", in: tx)
        try await OfficerQueue.intake.add(id, in: tx)
        return Reply(text: withOfficeHours(IntakeTexts.resubmitted(number: request.number)), requestID: id)
    }

    // MARK: lookups

    /// A request by number, only when it is this applicant's: someone else's
    /// looks exactly like one that does not exist.
    private func ownRequest(_ number: String) async throws -> RequestRecord? {
        guard let request = try? await RequestStore.load(number: number, in: tx), request.applicantRef == applicantRef else { return nil }
        return request
    }

    private func ownRequests(limit: Int) async throws -> [RequestRecord] {
        try await tx.query("SELECT * FROM requests WHERE applicant_ref = \(applicantRef) ORDER BY created_at DESC LIMIT \(limit)")
            .rows.map(RequestStore.record(from:))
    }

    /// The applicant's request still in its first collection, other than `id`.
    private func collectingOther(than id: UUID?, _ conversation: Conversation) async throws -> RequestRecord? {
        try await tx.query(
            """
            SELECT * FROM requests WHERE applicant_ref = \(applicantRef) AND state = \(RequestState.collectingDocuments.rawValue)
            ORDER BY created_at DESC LIMIT 1
            """
        ).rows.map(RequestStore.record(from:)).first { $0.id != id }
    }

    /// "Still waiting for X" when a request is being completed, to add to error replies.
    private func hint(_ conversation: Conversation) async throws -> String? {
        if conversation.stage == .identifying, let id = conversation.requestID, let request = try? await RequestStore.load(id, in: tx) {
            return "Permohonan \(request.number) menunggu NIK Anda (16 angka di KTP-el) dan nomor KK bila ada."
        }
        guard conversation.stage == .collecting, let id = conversation.requestID else { return nil }
        let pending = try await ConversationStore.pending(id, in: tx)
        guard let next = pending.first, let request = try? await RequestStore.load(id, in: tx) else { return nil }
        let pages = try await ConversationStore.currentPages(id, in: tx)
        let more = pages > 0 ? " (\(pages) halaman sudah diterima; kirim halaman berikutnya atau balas LANJUT)" : ""
        return "Permohonan \(request.number) masih menunggu: \(next.indonesianName)\(more)."
    }
}

extension RequestState {
    /// The applicant has to send something before the request can move on.
    var awaitsApplicant: Bool { self == .collectingDocuments || self == .returnedIncomplete || self == .returnedInvalid }
}

extension RequestRecord {
    /// Cancelling is the applicant's right until the KK is signed.
    var isCancellable: Bool { RequestStateMachine.target(of: .cancel, from: state, reason: reason) != nil }
}
