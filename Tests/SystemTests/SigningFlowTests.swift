import Foundation
import KKDomain
import KKHTTP
import KKLoad
import KKSigning
import KKStore
import KKTesting
import Postgres
import Testing

/// SOP 7 end to end: verified drafts reach kk-sign's queue through
/// kk.drafts.verified; the Kepala Dinas signs through the real CLI; the PDF is
/// checked by poppler's pdfsig and pdftotext and by `kk-sign verify`.
@Suite("kk-sign: the Kepala Dinas' electronic signature, end to end", .serialized)
struct SigningFlowTests {
    static let services = ["kk-entry", "kk-verify", "kk-sign"]
    static let passphrase = "frasa-sandi-pengembangan"
    static let headName = "Dr. Hj. Sri Wahyuni, M.Si."
    static let headNIP = "197005121995032004"

    /// Development keys for the Kepala Dinas, and the variables kk-sign reads;
    /// `environment` reaches `keygen` too (an office profile names the office in the certificates).
    static func keys(environment: [String: String] = [:]) throws -> [String: String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kk-keys-\(UUID().uuidString.prefix(8))")
        let made = try ChildProcess.start(
            "kk-dev", ["keygen", "--out", folder.path, "--name", headName, "--nip", headNIP],
            environment: environment.merging(["KK_SIGN_KEY_PASSPHRASE": passphrase]) { _, new in new }
        ).wait()
        #expect(made.status == 0, "\(made.output)")
        return [
            "KK_SIGN_CERT": folder.appendingPathComponent("signer.pem").path, "KK_SIGN_KEY": folder.appendingPathComponent("signer-key.pem").path,
            "KK_SIGN_CA": folder.appendingPathComponent("ca.pem").path, "KK_SIGN_KEY_PASSPHRASE": passphrase,
        ]
    }

    static func start(services: [String] = services, extra: [String: String] = [:]) async throws -> IntakeStack {
        let stack = try await IntakeStack.start(extra: try keys(environment: extra).merging(extra) { _, new in new }, services: services)
        try await TestOfficers.add(
            username: "wahyuni", fullName: headName, nip: headNIP, role: .headOfDepartment, password: IntakeStack.officerPassword, pool: stack.pool)
        try await TestOfficers.add(
            username: "joko", fullName: "Joko Santoso", nip: "198804042012011005", role: .printOfficer, password: IntakeStack.officerPassword, pool: stack.pool)
        let seeded = try stack.admin(["register-seed", "--families", "17"], tool: "kk-dev")
        try #require(seeded.status == 0, "register-seed: \(seeded.output)")
        return stack
    }

    static func kk(_ stack: IntakeStack, _ index: Int) async throws -> FamilyRecord {
        let rows = try await stack.pool.query("SELECT kk_number FROM families ORDER BY kk_number OFFSET \(index) LIMIT 1").rows
        let kk = try #require(rows.first, "the register has no family number \(index)").decode("kk_number", as: String.self)
        return try await stack.pool.withTransaction { try await FamilyRegister.current(kk, in: $0).record }
    }

    /// Plays a request from WhatsApp to the signing queue: intake, entry (a job change
    /// for the head when the reason has entry), verification.
    static func toSigning(_ stack: IntakeStack, _ reason: RequestReason, family: FamilyRecord, phone: String) async throws -> String {
        let number = try await stack.completeRequest(reason, from: phone, as: family)
        #expect(try stack.officer("siti", ["open", number]).status == 0)
        _ = try await stack.waitInQueue(number, officer: "siti", tool: "kk-entry")
        #expect(try stack.officer("siti", ["take", number, "--kk", family.kkNumber.value], tool: "kk-entry").status == 0)
        if reason == .dataChange, let head = family.head {
            let job = head.occupation.rawValue == "GURU" ? "WIRASWASTA" : "GURU"
            let entered = try stack.officer("siti", ["enter", number, "--member", head.nik.value, "--set", "jenis_pekerjaan=\(job)"], tool: "kk-entry")
            #expect(entered.status == 0, "\(entered.output)")
        }
        #expect(try stack.officer("siti", ["submit", number], tool: "kk-entry").status == 0)
        _ = try await stack.waitInQueue(number, officer: "bambang", tool: "kk-verify")
        #expect(try stack.officer("bambang", ["approve", number], tool: "kk-verify").status == 0)
        _ = try await stack.waitInQueue(number, officer: "wahyuni", tool: "kk-sign")
        return number
    }

    static func pdf(of number: String, in stack: IntakeStack) async throws -> URL {
        let bytes = try await stack.pool.query(
            """
            SELECT m.bytes FROM kk_documents d JOIN media m ON m.id = d.media_id JOIN requests r ON r.id = d.request_id WHERE r.number = \(number)
            """
        ).rows[0].decode("bytes", as: [UInt8].self)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(number).pdf")
        try Data(bytes).write(to: url)
        return url
    }

    @Test("a data change is previewed, signed, valid for pdfsig, readable by pdftotext, on record for kk-sign verify; the draft becomes the family's record")
    func signOne() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let family = try await Self.kk(stack, 2)
        let number = try await Self.toSigning(stack, .dataChange, family: family, phone: "6281400000001")

        let preview = FileManager.default.temporaryDirectory.appendingPathComponent("pratinjau-\(UUID().uuidString.prefix(8))-\(number).pdf")
        let previewed = try stack.officer("wahyuni", ["preview", number, "--out", preview.path], tool: "kk-sign")
        #expect(previewed.status == 0, "\(previewed.output)")
        #expect(try ExternalTool.run("/usr/bin/pdfsig", [preview.path]).output.contains("does not contain any signatures"))
        // Only the Kepala Dinas signs.
        let notHers = try stack.officer("bambang", ["sign", number], tool: "kk-sign")
        #expect(notHers.status != 0 && notHers.output.contains("Kepala Dinas"), "\(notHers.output)")

        let signed = try stack.officer("wahyuni", ["sign", number], tool: "kk-sign")
        #expect(signed.status == 0 && signed.output.contains("ditandatangani"), "\(signed.output)")
        #expect(try await stack.state(of: number) == RequestState.signed.rawValue)
        let file = try await Self.pdf(of: number, in: stack)
        let pdfsig = try ExternalTool.run("/usr/bin/pdfsig", [file.path])
        #expect(pdfsig.output.contains("Signature is Valid.") && pdfsig.output.contains("Total document signed"), "\(pdfsig.output)")
        #expect(pdfsig.output.contains(Self.headName))
        let text = try ExternalTool.run("/usr/bin/pdftotext", ["-layout", file.path, "-"]).output
        #expect(text.contains("KARTU KELUARGA") && text.contains(family.kkNumber.value))
        for member in family.members { #expect(text.contains(member.nik.value), "NIK \(member.nik.value) missing") }

        let verified = try stack.officer("wahyuni", ["verify", file.path], tool: "kk-sign")
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("UTUH") && verified.output.contains("terpercaya") && verified.output.contains("TERCATAT: permohonan \(number)"))
        #expect(verified.output.contains(Self.headName) && verified.output.contains(Self.headNIP))
        // The QR code: the public verification page of the document id and the SHA-256 of the signed record.
        let record = try await stack.pool.query("SELECT id, content_sha256 FROM kk_documents").rows[0]
        let id = try record.decode("id", as: UUID.self).uuidString.lowercased()
        let digest = try record.decode("content_sha256", as: String.self)
        let reference = "\(try #require(stack.environment["KK_PUBLIC_VERIFY_URL"]))/\(id)?h=\(digest)"
        let page = file.deletingPathExtension().path + "-halaman"
        _ = try ExternalTool.run("/usr/bin/pdftoppm", ["-r", "150", "-png", "-singlefile", file.path, page])
        let qr = try ExternalTool.run("/usr/bin/zbarimg", ["-q", "--raw", page + ".png"])
        #expect(qr.output.contains(reference), "the QR code carries the reference: \(qr.output)")
        let scanned = try stack.officer("wahyuni", ["verify", "--reference", reference], tool: "kk-sign")
        #expect(scanned.status == 0 && scanned.output.contains("Kode QR          SAH: permohonan \(number)"), "\(scanned.output)")
        #expect(scanned.output.contains("Status KK        BERLAKU"), "\(scanned.output)")
        // A KK signed before the page existed carries the older text; it is still understood.
        let legacy = try stack.officer("wahyuni", ["verify", "--reference", "KKBANTUL:1:\(id):\(digest)"], tool: "kk-sign")
        #expect(legacy.status == 0 && legacy.output.contains("SAH: permohonan \(number)"), "\(legacy.output)")
        let forged = try stack.officer("wahyuni", ["verify", "--reference", String(reference.dropLast(4)) + "0000"], tool: "kk-sign")
        #expect(forged.status != 0 && forged.output.contains("TIDAK SAH"), "\(forged.output)")
        // One byte changed inside the signed range: pdfsig and kk-sign verify both say so.
        var bytes = Array(try Data(contentsOf: file))
        let marker = Array("KARTU".utf8)
        if let at = (0..<(bytes.count - marker.count)).first(where: { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }) {
            bytes[at] ^= 0x01
        } else {
            bytes[bytes.count / 3] ^= 0x01
        }
        let changed = FileManager.default.temporaryDirectory.appendingPathComponent("diubah-\(UUID().uuidString.prefix(8))-\(number).pdf")
        try Data(bytes).write(to: changed)
        #expect(!(try ExternalTool.run("/usr/bin/pdfsig", [changed.path]).output.contains("Signature is Valid.")))
        let refused = try stack.officer("wahyuni", ["verify", changed.path], tool: "kk-sign")
        #expect(refused.status != 0 && refused.output.contains("TIDAK UTUH") && refused.output.contains("TIDAK TERCATAT"), "\(refused.output)")

        // The register: the signed draft is version 2; kk.documents.signed is in the outbox with the PDF's digest.
        try await stack.pool.withTransaction { tx in
            let current = try await FamilyRegister.current(family.kkNumber.value, in: tx)
            #expect(current.version == 2 && current.source == "signed")
            #expect(current.record.head?.occupation != family.head?.occupation)
            #expect(current.record.issueDate == CalendarDate(Date()))
        }
        let published = try await stack.pool.query("SELECT payload FROM outbox WHERE topic LIKE '%kk.documents.signed'").rows
        #expect(published.count == 1)
        let event = try EventEnvelope.decode(from: Data(try published[0].decode("payload", as: [UInt8].self))).decode(DocumentSigned.self)
        let pdfDigest = try await stack.pool.query("SELECT sha256 FROM kk_documents").rows[0].decode("sha256", as: String.self)
        #expect(event.requestNumber == number && event.sha256 == pdfDigest)
    }

    @Test("a batch signs every KK in the queue with a progress line; the one that fails (its family changed meanwhile) is reported, the others are signed")
    func batchWithOneFailure() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let shared = try await Self.kk(stack, 4)
        let other = try await Self.kk(stack, 6)
        let first = try await Self.toSigning(stack, .dataChange, family: shared, phone: "6281400000011")
        let lost = try await Self.toSigning(stack, .lost, family: other, phone: "6281400000012")
        let second = try await Self.toSigning(stack, .damaged, family: shared, phone: "6281400000013")

        let batch = try stack.officer("wahyuni", ["sign", "--all"], tool: "kk-sign")
        #expect(batch.status != 0, "\(batch.output)")
        #expect(batch.output.contains("[1/3] \(first) ditandatangani") && batch.output.contains("[2/3] \(lost) ditandatangani"), "\(batch.output)")
        #expect(batch.output.contains("[3/3] \(second) GAGAL") && batch.output.contains("sudah berubah sejak draft dibuat"), "\(batch.output)")
        #expect(batch.output.contains("Selesai: 2 ditandatangani, 1 gagal."))
        #expect(try await stack.state(of: first) == RequestState.signed.rawValue)
        #expect(try await stack.state(of: lost) == RequestState.signed.rawValue)
        #expect(try await stack.state(of: second) == RequestState.verified.rawValue, "the failed one is left as it was")
        #expect(try stack.officer("wahyuni", ["queue"], tool: "kk-sign").output.contains(second))
    }

    @Test("key and certificate errors stop signing: a certificate of someone else, a wrong or missing passphrase, an unreadable key")
    func keyErrors() async throws {
        let stack = try await Self.start()
        defer { stack.stop() }
        let family = try await Self.kk(stack, 1)
        let number = try await Self.toSigning(stack, .lost, family: family, phone: "6281400000021")
        func sign(_ environment: [String: String]) throws -> (status: Int32, output: String) {
            try ChildProcess.start(
                "kk-sign", ["sign", number],
                environment: stack.environment.merging(
                    environment.merging([
                        "KK_OFFICER": "wahyuni", "KK_OFFICER_PASSWORD": IntakeStack.officerPassword,
                    ]) { _, new in new }
                ) { _, new in new }
            ).wait()
        }
        let wrong = try sign(["KK_SIGN_KEY_PASSPHRASE": "salah"])
        #expect(wrong.status != 0 && wrong.output.contains("Frasa sandi kunci privat salah"), "\(wrong.output)")
        let missing = try sign(["KK_SIGN_KEY_PASSPHRASE": ""])
        #expect(missing.status != 0 && missing.output.contains("KK_SIGN_KEY_PASSPHRASE_FILE"), "\(missing.output)")
        let unreadable = try sign(["KK_SIGN_KEY": "/tidak/ada/kunci.pem"])
        #expect(unreadable.status != 0 && unreadable.output.contains("/tidak/ada/kunci.pem"), "\(unreadable.output)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kk-keys-lain-\(UUID().uuidString.prefix(8))")
        #expect(
            try ChildProcess.start(
                "kk-dev", ["keygen", "--out", folder.path, "--name", "Orang Lain", "--nip", "198001012005011001"],
                environment: ["KK_SIGN_KEY_PASSPHRASE": Self.passphrase]
            ).wait().status == 0)
        let someoneElse = try sign([
            "KK_SIGN_CERT": folder.appendingPathComponent("signer.pem").path, "KK_SIGN_KEY": folder.appendingPathComponent("signer-key.pem").path,
        ])
        #expect(someoneElse.status != 0 && someoneElse.output.contains("bukan \(Self.headName)"), "\(someoneElse.output)")
        let mismatched = try sign(["KK_SIGN_KEY": folder.appendingPathComponent("signer-key.pem").path])
        #expect(mismatched.status != 0 && mismatched.output.contains("tidak cocok dengan sertifikat"), "\(mismatched.output)")
        #expect(try await stack.state(of: number) == RequestState.verified.rawValue)
        #expect(try stack.officer("wahyuni", ["sign", number], tool: "kk-sign").status == 0)
    }

    @Test(
        "kk-sign holds no private key and accepts only the prepared KK signed by the signed-in Kepala Dinas: another NIP, another CA, bytes appended or changed, a draft changed after approval are refused over HTTP and nothing is issued"
    )
    func signatureUploadAttacks() async throws {
        // A second certificate authority with a signer of another NIP; kk-sign trusts both CAs,
        // so the NIP check is what refuses the second signer.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("kk-keys-lain-\(UUID().uuidString.prefix(8))")
        #expect(
            try ChildProcess.start(
                "kk-dev", ["keygen", "--out", other.path, "--name", "Pejabat Lain", "--nip", "198001012005011001"],
                environment: ["KK_SIGN_KEY_PASSPHRASE": Self.passphrase]
            ).wait().status == 0)
        let keys = try Self.keys()
        let roots = FileManager.default.temporaryDirectory.appendingPathComponent("kk-ca-\(UUID().uuidString.prefix(8)).pem")
        try
            (try String(contentsOfFile: keys["KK_SIGN_CA"]!, encoding: .utf8)
            + (try String(contentsOf: other.appendingPathComponent("ca.pem"), encoding: .utf8)))
            .write(to: roots, atomically: true, encoding: .utf8)
        let stack = try await Self.start(extra: keys.merging(["KK_SIGN_CA": roots.path]) { _, new in new })
        defer { stack.stop() }
        let signer = try #require(stack.daemons.first { $0.process.executableURL?.lastPathComponent == "kk-sign" })
        let environ = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(signer.process.processIdentifier)/environ")), as: UTF8.self)
        #expect(!environ.contains("KK_SIGN_KEY"), "the kk-sign service is never given the private key or its passphrase")

        let family = try await Self.kk(stack, 3)
        let number = try await Self.toSigning(stack, .lost, family: family, phone: "6281400000031")
        let api = SignAPI(base: stack.environment["KK_SIGN_URL"]!)
        let token = try await api.signIn("wahyuni")
        func identity(_ cert: String, _ key: String) throws -> SigningIdentity {
            try SigningIdentity(
                certificatePEM: String(contentsOfFile: cert, encoding: .utf8), keyPEM: String(contentsOfFile: key, encoding: .utf8),
                passphrase: Self.passphrase)
        }
        let hers = try identity(keys["KK_SIGN_CERT"]!, keys["KK_SIGN_KEY"]!)
        let theirs = try identity(other.appendingPathComponent("signer.pem").path, other.appendingPathComponent("signer-key.pem").path)

        func attempt(_ label: String, expect message: String, _ make: (SignAPI.Prepared) throws -> [UInt8]) async throws {
            let prepared = try await api.prepare(number, token: token)
            let (status, answer) = try await api.upload(number, documentID: prepared.documentID, pdf: try make(prepared), token: token)
            #expect(status == 422 && answer.contains(message), "\(label): HTTP \(status) \(answer)")
        }
        try await attempt("another NIP under a trusted CA", expect: "bukan \(Self.headName)") { try $0.signed(by: theirs) }
        let stranger = try ChildProcess.start(
            "kk-dev", ["keygen", "--out", other.appendingPathComponent("asing").path, "--name", Self.headName, "--nip", Self.headNIP],
            environment: ["KK_SIGN_KEY_PASSPHRASE": Self.passphrase]
        ).wait()
        #expect(stranger.status == 0)
        let forged = try identity(
            other.appendingPathComponent("asing/signer.pem").path, other.appendingPathComponent("asing/signer-key.pem").path)
        try await attempt("her name and NIP under a CA kk-sign does not trust", expect: "Sertifikat penanda tangan tidak diterima") {
            try $0.signed(by: forged)
        }
        try await attempt("bytes appended after signing", expect: "Tanda tangan tidak cocok") { try $0.signed(by: hers) + Array("%tambahan\n".utf8) }
        try await attempt("another document signed", expect: "bukan KK yang disiapkan") { prepared in
            var unsigned = prepared.unsigned
            unsigned[unsigned.count / 3] ^= 0x01  // inside the page's compressed content
            return try prepared.signed(by: hers, unsigned: unsigned)
        }
        let changed = try await api.prepare(number, token: token)
        try await stack.pool.execute(
            "UPDATE family_drafts SET record = jsonb_set(record, '{alamat,rt}', '\"099\"') WHERE request_id = (SELECT id FROM requests WHERE number = \(number))"
        )
        let (status, answer) = try await api.upload(number, documentID: changed.documentID, pdf: try changed.signed(by: hers), token: token)
        #expect(status == 422 && answer.contains("tidak sama dengan yang disetujui Kasi/Kabid"), "draft changed after approval: HTTP \(status) \(answer)")

        #expect(try await stack.state(of: number) == RequestState.verified.rawValue)
        #expect(try await stack.pool.query("SELECT count(*)::bigint AS n FROM kk_documents").rows[0].decode("n", as: Int64.self) == 0)
        let refusals = try await stack.pool.query(
            "SELECT count(*)::bigint AS n FROM audit_log WHERE service = 'kk-sign' AND command = 'sign' AND outcome = 'failed'"
        ).rows[0]
            .decode("n", as: Int64.self)
        #expect(refusals == 5, "every refused upload is audited")
    }
}

/// kk-sign's officer API as a hostile client would call it, bypassing the CLI.
struct SignAPI {
    let base: String

    struct Prepared {
        let documentID: String
        let unsigned: [UInt8]
        let signingTime: Date
        let reason: String
        let location: String

        func signed(by identity: SigningIdentity, unsigned other: [UInt8]? = nil) throws -> [UInt8] {
            try PDFSigner.sign(
                other ?? unsigned, info: PDFSignatureInfo(name: identity.signerName, reason: reason, location: location, signingTime: signingTime)
            ) { try identity.cmsSignature($0, at: signingTime) }
        }
    }

    func post(_ name: String, _ body: [String: Any], token: String?) async throws -> (Int, Data) {
        var headers = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let answer = try await HTTPExchange.send(
            "POST", URL(string: "\(base)/api/v1/sign/\(name)")!, headers: headers, body: Array(try JSONSerialization.data(withJSONObject: body)))
        return (answer.status, answer.data)
    }

    func signIn(_ username: String) async throws -> String {
        let (status, data) = try await post("sesi", ["username": username, "password": IntakeStack.officerPassword], token: nil)
        #expect(status == 200)
        return try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["token"] as? String)
    }

    func prepare(_ number: String, token: String) async throws -> Prepared {
        let (status, data) = try await post("siapkan", ["number": number], token: token)
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let time = try #require(ISO8601DateFormatter().date(from: object["signingTime"] as? String ?? ""))
        return Prepared(
            documentID: try #require(object["documentID"] as? String),
            unsigned: Array(try #require(Data(base64Encoded: object["unsignedPDF"] as? String ?? ""))), signingTime: time,
            reason: try #require(object["reason"] as? String), location: try #require(object["location"] as? String))
    }

    func upload(_ number: String, documentID: String, pdf: [UInt8], token: String) async throws -> (Int, String) {
        let (status, data) = try await post(
            "sign", ["number": number, "documentID": documentID, "signedPDF": Data(pdf).base64EncodedString()], token: token)
        return (status, String(decoding: data, as: UTF8.self))
    }
}
