import Foundation
import KKDomain
import KKMessaging
import KKStore
import Logging
import Postgres

/// SOP 10 for one request: the signed PDF, every document the applicant sent
/// and the request's event log, copied to every target, read back and
/// verified. The request is archived (kk.documents.archived) only when each
/// file has the configured number of good copies; otherwise it waits in
/// `archive_pending` and is tried again; nothing is skipped silently.
struct RequestArchiver: Sendable {
    static let name = "kk-archive"
    let settings: ArchiveSettings
    let logger: Logger

    struct Item {
        let name: String
        let bytes: [UInt8]
        let sha256: String

        var file: File { File(name: name, sha256: sha256, size: bytes.count) }
    }

    /// A file to archive as its record names it: the bytes are needed only to write it.
    struct File: Sendable {
        let name: String
        let sha256: String
        let size: Int
    }

    func items(of request: RequestRecord, in tx: PostgresTransaction) async throws -> [Item] {
        var items: [Item] = []
        for pdf in try await SignedDocuments.allPDFs(of: request.id, in: tx) {
            guard let bytes = pdf.bytes else { continue }
            items.append(Item(name: "kk/" + (pdf.fileName ?? "KK.pdf"), bytes: bytes, sha256: ArchiveTargets.digest(bytes)))
        }
        // Named as an officer downloads them ("dokumen/01-formulir_f102.jpg", a second page "-hal2").
        for document in try await DocumentFile.all(of: request.id, in: tx) {
            let bytes = Array(document.bytes)
            items.append(Item(name: "dokumen/" + document.name, bytes: bytes, sha256: ArchiveTargets.digest(bytes)))
        }
        let log = try await RequestStore.events(of: request.id, in: tx).map(\.payloadLine).joined(separator: "\n") + "\n"
        items.append(Item(name: "riwayat-permohonan.jsonl", bytes: Array(log.utf8), sha256: ArchiveTargets.digest(Array(log.utf8))))
        return items
    }

    static let system = Actor(role: .system, id: name)

    /// Files written and read back on their targets before the transaction that records them.
    struct Copies: Sendable {
        /// The request's version when its files were read, and those files: the transaction
        /// that records the copies reads the files again only if the request moved on meanwhile.
        var version: Int?
        var files: [File] = []
        /// `sha256/target` of each good copy.
        var stored: Set<String> = []
        var problems: [String] = []

        static func key(_ sha256: String, _ target: String) -> String { "\(sha256)/\(target)" }
    }

    /// Writes and verifies a delivered request's files on every target, the targets side
    /// by side, with no transaction open (a target may be slow, fsync takes its time):
    /// `archive` then records the copies in one short transaction. Safe to run again.
    func copy(_ requestID: UUID, pool: PostgresPool) async throws -> Copies {
        let (version, items) = try await pool.withTransaction { tx -> (Int?, [Item]) in
            let request = try await RequestStore.load(requestID, in: tx)
            return request.state == .delivered ? (request.version, try await self.items(of: request, in: tx)) : (nil, [])
        }
        var copies = await withTaskGroup(of: Copies.self) { group in
            for target in settings.targets {
                group.addTask {
                    var copies = Copies()
                    for item in items {
                        do {
                            try await target.store(item.bytes, sha256: item.sha256)
                            copies.stored.insert(Copies.key(item.sha256, target.name))
                        } catch {
                            copies.problems.append("\(target.name): \(error)")
                        }
                    }
                    return copies
                }
            }
            return await group.reduce(into: Copies()) { all, one in
                all.stored.formUnion(one.stored)
                all.problems += one.problems
            }
        }
        copies.version = version
        copies.files = items.map(\.file)
        return copies
    }

    /// Records what `copy` wrote before the transaction (no file is written inside it);
    /// archives the request when every file has enough good copies, as `actor`'s step
    /// (the system, or the print officer who confirmed it). What is short waits in
    /// `archive_pending` for the retry, which copies again.
    func archive(
        _ requestID: UUID, documentID: UUID, by actor: Actor = system, copied: Copies, in tx: PostgresTransaction, now: Date = Date()
    ) async throws -> [OutgoingMessage] {
        let request = try await RequestStore.load(requestID, forUpdate: true, in: tx)
        guard request.state == .delivered else {
            try await ArchiveRecords.forgetPending(requestID, in: tx)
            return []
        }
        let files = copied.version == request.version ? copied.files : try await self.items(of: request, in: tx).map(\.file)
        // The targets with a verified copy of each file: read once, kept up to date as copies are recorded.
        var holding: [String: Set<String>] = [:]
        for file in files {
            try await ArchiveRecords.recordItem(requestID, name: file.name, sha256: file.sha256, size: file.size, in: tx)
            if holding[file.sha256] == nil { holding[file.sha256] = try await ArchiveRecords.targets(holding: file.sha256, in: tx) }
            // Written before the transaction, or not at all: what failed there waits for the retry.
            for target in settings.targets
            where holding[file.sha256]?.contains(target.name) != true && copied.stored.contains(Copies.key(file.sha256, target.name)) {
                try await ArchiveRecords.recordCopy(sha256: file.sha256, target: target.name, verifiedAt: now, in: tx)
                holding[file.sha256, default: []].insert(target.name)
            }
        }
        let names = settings.targets.map(\.name)
        var short: [String] = []
        for file in files {
            let copies = (holding[file.sha256] ?? []).filter(names.contains).count
            if copies < settings.requiredCopies { short.append("\(file.name) (\(copies)/\(settings.requiredCopies))") }
        }
        guard short.isEmpty else {
            let reason = (Array(Set(copied.problems)).sorted() + ["kurang salinan: " + short.joined(separator: ", ")]).joined(separator: "; ")
            logger.warning("archive incomplete; will retry", metadata: ["request": "\(request.number)", "reason": "\(reason)"])
            try await ArchiveRecords.retryLater(
                requestID, documentID: documentID, at: now.addingTimeInterval(settings.retryAfter), reason: reason,
                requestedBy: actor.role == .printOfficer ? actor.id : nil, in: tx)
            return []
        }
        try await RequestStore.transition(
            requestID, action: .archive, by: actor, note: "\(files.count) berkas, \(settings.requiredCopies) salinan terverifikasi", in: tx)
        try await ArchiveRecords.forgetPending(requestID, in: tx)
        let event = DocumentArchived(requestNumber: request.number, documentId: documentID, copies: settings.requiredCopies)
        return [OutgoingMessage(topic: .documentsArchived, envelope: EventEnvelope(payload: event, requestId: requestID, actor: actor))]
    }
}

extension StoredEvent {
    /// One line of the archived event log.
    var payloadLine: String {
        let fields: [String: String] = [
            "versi": String(version), "jenis": type, "tindakan": action?.rawValue ?? "", "dari": fromState?.rawValue ?? "",
            "ke": toState.rawValue, "oleh": "\(actor.role.rawValue):\(actor.id)", "catatan": note ?? "",
            "waktu": ISO8601DateFormatter().string(from: occurredAt),
        ]
        let header = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "{\"peristiwa\":\(header),\"isi\":\(payload)}"
    }
}
