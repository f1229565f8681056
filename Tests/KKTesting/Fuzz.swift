import Crypto
import Foundation
import Hex
import KKDomain
import KKHTTP
import Testing

/// JSON with its keys in the order written, so the same seed gives the same bytes
/// in every process (a Dictionary's order changes from run to run).
package indirect enum J {
    case object([(String, J)])
    case array([J])
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    /// Text put in as is (deep nesting, built without recursion).
    case raw(String)

    package enum Step {
        case key(String)
        case index(Int)
    }

    package var text: String {
        switch self {
        case let .object(members): "{" + members.map { J.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case let .array(items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case let .string(value): J.quote(value)
        case let .number(value): value
        case let .bool(value): value ? "true" : "false"
        case .null: "null"
        case let .raw(text): text
        }
    }

    package static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Every node's path, in document order.
    package func paths(_ prefix: [Step] = []) -> [[Step]] {
        switch self {
        case let .object(members): [prefix] + members.flatMap { $0.1.paths(prefix + [.key($0.0)]) }
        case let .array(items): [prefix] + items.enumerated().flatMap { $0.element.paths(prefix + [.index($0.offset)]) }
        default: [prefix]
        }
    }

    package func value(at path: ArraySlice<Step>) -> J? {
        guard let step = path.first else { return self }
        switch (self, step) {
        case let (.object(members), .key(key)): return members.first { $0.0 == key }?.1.value(at: path.dropFirst())
        case let (.array(items), .index(index)) where items.indices.contains(index): return items[index].value(at: path.dropFirst())
        default: return nil
        }
    }

    /// The document with the node at `path` replaced, or removed when `new` is nil.
    package func setting(_ path: ArraySlice<Step>, to new: J?) -> J {
        guard let step = path.first else { return new ?? .null }
        switch (self, step) {
        case let (.object(members), .key(key)):
            if path.count == 1, new == nil { return .object(members.filter { $0.0 != key }) }
            return .object(members.map { $0.0 == key ? ($0.0, $0.1.setting(path.dropFirst(), to: new)) : $0 })
        case let (.array(items), .index(index)) where items.indices.contains(index):
            var items = items
            if path.count == 1, new == nil { items.remove(at: index) } else { items[index] = items[index].setting(path.dropFirst(), to: new) }
            return .array(items)
        default:
            return self
        }
    }
}

extension Webhook {
    /// `X-Hub-Signature-256` over raw bytes (which need not be UTF-8).
    package static func sign(_ body: [UInt8], secret: String = IntakeStack.appSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.hexEncoded
    }
}

/// Webhook bodies as a fuzzer makes them.
package enum Fuzz {
    package struct Sample {
        package let label: String
        package let bytes: [UInt8]
    }

    package static let maxWebhookBody = 1024 * 1024
    package static let alphanumerics = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    /// What mutations insert: JSON's own characters, digits, letters, spaces, and some UTF-8.
    package static let insertable: [[UInt8]] =
        Array("{}[]\":,\\/-+.eE0123456789 \t\nabcdefghijklmnopqrstuvwxyzATFN".utf8).map { [$0] }
        + ["é", "ü", "𝔘", "😀", "\u{2028}", "\u{FEFF}"].map { Array($0.utf8) }
    /// Texts an applicant might send that start no request and cancel nothing.
    package static let texts = ["apakah kantor buka hari sabtu", "terima kasih banyak", "saya sudah kirim kemarin", "baik bu", "nomor antrean saya berapa ya"]
    package static let otherTypes = [
        "sticker", "location", "reaction", "contacts", "interactive", "button", "order", "system", "video", "audio", "unknown", "",
    ]

    /// Bodies sent to the gateway process: a fixed number, so a busy machine takes longer
    /// rather than testing less (`KK_FUZZ_BODIES` raises it).
    package static let processBodies = TestStack.setting("KK_FUZZ_BODIES", 150)

    package static func seed() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["KK_FUZZ_SEED"], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 1...UInt64.max)
    }

    // MARK: bodies

    package static func value(from: String, _ content: J, contacts: J? = nil, key: String = "messages") -> J {
        var members: [(String, J)] = [
            ("messaging_product", .string("whatsapp")),
            ("metadata", .object([("display_phone_number", .string("62274367509")), ("phone_number_id", .string("1234567890"))])),
        ]
        if let contacts { members.append(("contacts", contacts)) }
        members.append((key, .array([content])))
        return .object([
            ("object", .string("whatsapp_business_account")),
            (
                "entry",
                .array([.object([("id", .string("WABA")), ("changes", .array([.object([("field", .string("messages")), ("value", .object(members))])]))])])
            ),
        ])
    }

    package static func message(from: String, id: String, timestamp: String, type: String, _ content: [(String, J)], name: String = "Nur'aini") -> J {
        let contacts: J = .array([.object([("profile", .object([("name", .string(name))])), ("wa_id", .string(from))])])
        return value(
            from: from, .object([("from", .string(from)), ("id", .string(id)), ("timestamp", .string(timestamp)), ("type", .string(type))] + content),
            contacts: contacts)
    }

    package static func textMessage(from: String, id: String, timestamp: String, body: String) -> J {
        message(from: from, id: id, timestamp: timestamp, type: "text", [("text", .object([("body", .string(body))]))])
    }

    package static func status(id: String, to: String, status: String, timestamp: String) -> J {
        value(
            from: to,
            .object([("id", .string(id)), ("status", .string(status)), ("timestamp", .string(timestamp)), ("recipient_id", .string(to))]),
            key: "statuses")
    }

    /// Media ids a fuzzed photo or file names: those `media` serves (nil: none), then ids
    /// Meta never issues (empty, a path, very long, a huge number, odd Unicode).
    package static func mediaID(using rng: inout SplitMix64, media: [String]) -> String {
        let odd = [
            "", "../../etc/passwd", String(repeating: "9", count: 400), "123456789012345678901234567890", "%00", "id?x=1#y", "😀\u{202E}",
            "sandbox-media-\(rng.next())",
        ]
        return (rng.next() % 2 == 0 ? media.randomElement(using: &rng) : nil) ?? odd.randomElement(using: &rng)!
    }

    /// A valid body of one of the shapes Meta sends: texts, statuses, photos and files (their
    /// ids from `media` or odd ones), and every other type. From a phone no test request uses,
    /// or from one of `phones` (those that agreed to the notice, whose photos are downloaded).
    package static func base(_ n: Int, using rng: inout SplitMix64, phones: [String] = [], media: [String] = []) -> J {
        let phone = (rng.next() % 2 == 0 ? phones.randomElement(using: &rng) : nil) ?? "62859" + String(format: "%08d", Int(rng.next() % 100_000_000))
        let id = "wamid.fuzz-\(n)-\(rng.next() % 1_000_000_000)"
        let timestamp = String(Int(Date().timeIntervalSince1970) - Int(rng.next() % 1_000_000))  // up to 11.6 days back
        switch rng.next() % 6 {
        case 0, 1: return textMessage(from: phone, id: id, timestamp: timestamp, body: texts.randomElement(using: &rng)!)
        case 2: return status(id: id, to: phone, status: ["sent", "delivered", "read", "failed"].randomElement(using: &rng)!, timestamp: timestamp)
        case 3, 4:
            let type = ["image", "document", "image", "document", "audio", "video", "sticker"].randomElement(using: &rng)!
            var fields: [(String, J)] = [
                ("id", .string(mediaID(using: &rng, media: media))),
                ("mime_type", .string(["image/jpeg", "image/png", "application/pdf", "image/svg+xml", ""].randomElement(using: &rng)!)),
            ]
            if rng.next() % 2 == 0 { fields.append(("sha256", .string(String(repeating: "ab", count: 32)))) }
            if rng.next() % 2 == 0 {
                fields.append(("caption", .string(["formulir", "akta kelahiran", oddUnicode.randomElement(using: &rng)!].randomElement(using: &rng)!)))
            }
            if type == "document" {
                fields.append(("filename", .string(["surat.pdf", "../../surat.pdf", oddUnicode.randomElement(using: &rng)!].randomElement(using: &rng)!)))
            }
            return message(from: phone, id: id, timestamp: timestamp, type: type, [(type, .object(fields))])
        default:
            let type = otherTypes.randomElement(using: &rng)!
            return message(from: phone, id: id, timestamp: timestamp, type: type, [(type.isEmpty ? "x" : type, .object([("id", .string("st-\(n)"))]))])
        }
    }

    /// Text that is valid UTF-8 but awkward: right-to-left overrides, joiners, combining marks, a lone BOM, NUL.
    package static let oddUnicode = ["\u{202E}fdp.exe", "👨‍👩‍👧‍👦", "Z̷̧̛a̸͜l̶g̵o̴", "\u{FEFF}", "a\u{0000}b", "\u{200B}\u{200D}", "ﷺ", String(repeating: "é", count: 5000)]

    package static let messagePath: [J.Step] = [.key("entry"), .index(0), .key("changes"), .index(0), .key("value"), .key("messages")]

    /// Intact bodies of each shape the gateway records, sent right after the named kinds so
    /// that every run reaches them: a random edit seldom leaves a downloadable file intact
    /// (3,000 bodies of one seed recorded no file at all). A photo and a file `media` serves
    /// (its first JPEG and PDF) from one of `phones`, a photo it does not serve, a photo from a
    /// number that has not agreed to the notice, a sticker and a text.
    package static func intact(_ shape: Int, n: Int, phones: [String], media: [String]) -> Sample? {
        let agreed = phones.first ?? "6285900000001"
        let stranger = "62859" + String(format: "%08d", 90_000_000 + n)
        let (id, timestamp) = ("wamid.fuzz-intact-\(n)", Webhook.timestamp())
        func file(_ type: String, _ mediaID: String, mime: String, from phone: String) -> J {
            var fields: [(String, J)] = [("id", .string(mediaID)), ("mime_type", .string(mime))]
            if type == "document" { fields.append(("filename", .string("surat.pdf"))) }
            return message(from: phone, id: id, timestamp: timestamp, type: type, [(type, .object(fields))])
        }
        let shapes: [(String, J)] = [
            ("intact photo", file("image", media.first { $0 == "jpeg" } ?? "sandbox-media-\(n)", mime: "image/jpeg", from: agreed)),
            ("intact file", file("document", media.first { $0 == "pdf" } ?? "sandbox-media-\(n)", mime: "application/pdf", from: agreed)),
            ("intact photo not served", file("image", "sandbox-media-unknown-\(n)", mime: "image/jpeg", from: agreed)),
            ("intact photo before consent", file("image", media.first ?? "sandbox-media-\(n)", mime: "image/jpeg", from: stranger)),
            ("intact sticker", message(from: stranger, id: id, timestamp: timestamp, type: "sticker", [("sticker", .object([("id", .string("st-\(n)"))]))])),
            ("intact text", textMessage(from: stranger, id: id, timestamp: timestamp, body: texts[n % texts.count])),
        ]
        guard shapes.indices.contains(shape) else { return nil }
        return Sample(label: shapes[shape].0, bytes: Array(shapes[shape].1.text.utf8))
    }

    /// Body number `n`: the first ones go through each kind the issue names and each intact
    /// shape, then kinds at random (an intact body among them now and then).
    package static func body(_ n: Int, using rng: inout SplitMix64, phones: [String] = [], media: [String] = []) -> Sample {
        let named = [
            "messages a string", "no from", "wrong object", "unknown message type", "invalid UTF-8", "deep nesting", "huge string",
            "random bytes", "truncated", "mutated", "wrong type", "missing field", "empty body", "top-level scalar",
        ]
        if n >= named.count, let sample = intact(n - named.count, n: n, phones: phones, media: media) { return sample }
        let kind =
            n < named.count
            ? named[n]
            : [
                "mutated", "mutated", "truncated", "wrong type", "missing field", "random bytes", "invalid UTF-8",
                "huge string", "deep nesting", "unknown message type", "wrong object", "intact",
            ].randomElement(using: &rng)!
        var doc = base(n, using: &rng, phones: phones, media: media)
        if kind == "messages a string" || kind == "no from" || kind == "unknown message type" {
            doc = textMessage(
                from: "62859" + String(format: "%08d", Int(rng.next() % 100_000_000)), id: "wamid.fuzz-\(n)", timestamp: Webhook.timestamp(), body: texts[0])
        }
        switch kind {
        case "messages a string":
            return Sample(label: kind, bytes: Array(doc.setting(messagePath[...], to: .string("halo")).text.utf8))
        case "no from":
            return Sample(label: kind, bytes: Array(doc.setting((messagePath + [.index(0), .key("from")])[...], to: nil).text.utf8))
        case "wrong object":
            let object = ["page", "instagram", "", "WHATSAPP_BUSINESS_ACCOUNT", "whatsapp_business_account "].randomElement(using: &rng)!
            return Sample(label: "\(kind) '\(object)'", bytes: Array(doc.setting([.key("object")][...], to: .string(object)).text.utf8))
        case "unknown message type":
            let type = otherTypes.randomElement(using: &rng)!
            return Sample(label: "\(kind) '\(type)'", bytes: Array(doc.setting((messagePath + [.index(0), .key("type")])[...], to: .string(type)).text.utf8))
        case "invalid UTF-8":
            let marker = Array("INVALIDUTF8".utf8)
            let sequences: [[UInt8]] = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE, 0xFF]]
            var bytes = Array(doc.setting(anyString(in: doc, using: &rng)[...], to: .string("salam INVALIDUTF8 ya")).text.utf8)
            if let at = bytes.firstRange(of: marker) { bytes.replaceSubrange(at, with: sequences.randomElement(using: &rng)!) }
            return Sample(label: kind, bytes: bytes)
        case "deep nesting":
            let depth = [64, 600, 5_000, 100_000].randomElement(using: &rng)!
            let (open, close) = rng.next() % 2 == 0 ? ("[", "]") : ("{\"a\":", "}")
            let nest = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            let path = doc.paths().randomElement(using: &rng)!
            return Sample(label: "\(kind) \(depth) at \(describe(path))", bytes: Array(doc.setting(path[...], to: .raw(nest)).text.utf8))
        case "huge string":
            let length = [10_000, 100_000, 300_000].randomElement(using: &rng)!
            let alphabet = Array("abcdefghij KLMNOP 0123456789 \"\\/ é 😀 \u{0001}\n")
            let huge = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
            let path = doc.paths().filter { if case .key? = $0.last { return true } else { return false } }.randomElement(using: &rng)!
            return Sample(label: "\(kind) \(length) at \(describe(path))", bytes: Array(doc.setting(path[...], to: .string(huge)).text.utf8))
        case "random bytes":
            let count = Int(rng.next() % 2048)
            return Sample(label: kind, bytes: (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        case "truncated":
            let bytes = Array(doc.text.utf8)
            return Sample(label: kind, bytes: Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count)))))
        case "wrong type":
            let path = doc.paths().randomElement(using: &rng)!
            let current = doc.value(at: path[...])
            let choices: [J] = [
                .string("halo"), .number("42"), .number("-1.5e3"), .bool(true), .null, .array([]), .object([]),
                .array([.number("1"), .string("x")]), .object([("a", .number("1"))]), .number("1e400"),
                .number("123456789012345678901234567890"), .number("-0"), .string(oddUnicode.randomElement(using: &rng)!),
            ]
            let replacement = choices.filter { kindName($0) != current.map(kindName) }.randomElement(using: &rng)!
            return Sample(label: "\(kind) at \(describe(path)): \(replacement.text)", bytes: Array(doc.setting(path[...], to: replacement).text.utf8))
        case "missing field":
            let path = doc.paths().filter { !$0.isEmpty }.randomElement(using: &rng)!
            return Sample(label: "\(kind) \(describe(path))", bytes: Array(doc.setting(path[...], to: nil).text.utf8))
        case "intact":
            return Sample(label: kind, bytes: Array(doc.text.utf8))
        case "empty body":
            return Sample(label: kind, bytes: [])
        case "top-level scalar":
            return Sample(label: kind, bytes: Array(["null", "[]", "\"whatsapp_business_account\"", "42", "true", "{}"].randomElement(using: &rng)!.utf8))
        default:
            var bytes = Array(doc.text.utf8)
            let operations = 1 + Int(rng.next() % 6)
            for _ in 0..<operations where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 5 {
                case 0: bytes.replaceSubrange(at...at, with: insertable.randomElement(using: &rng)!)
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(contentsOf: insertable.randomElement(using: &rng)!, at: at)
                case 3:
                    let end = min(bytes.count, at + 1 + Int(rng.next() % 40))
                    bytes.insert(contentsOf: Array(bytes[at..<end]), at: end)
                default:
                    if at + 1 < bytes.count { bytes.swapAt(at, at + 1) }
                }
            }
            return Sample(label: "mutated (\(operations) edits)", bytes: bytes)
        }
    }

    package static func anyString(in doc: J, using rng: inout SplitMix64) -> [J.Step] {
        let strings = doc.paths().filter { if case .string? = doc.value(at: $0[...]) { return true } else { return false } }
        return strings.randomElement(using: &rng) ?? []
    }

    package static func kindName(_ value: J) -> String {
        switch value {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "bool"
        case .null: "null"
        case .raw: "raw"
        }
    }

    package static func describe(_ path: [J.Step]) -> String {
        path.isEmpty ? "the top" : path.map { if case let .key(k) = $0 { ".\(k)" } else if case let .index(i) = $0 { "[\(i)]" } else { "" } }.joined()
    }

    package static func preview(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        return bytes.count > 300 ? text + "…" : text
    }

    // MARK: signatures and posting

    /// A header that is not the app secret's signature of these bytes.
    package static func badSignature(for body: [UInt8], using rng: inout SplitMix64) -> (label: String, header: String?) {
        let right = Webhook.sign(body)
        switch rng.next() % 7 {
        case 0: return ("none", nil)
        case 1: return ("empty", "")
        case 2: return ("zeros", "sha256=" + String(repeating: "0", count: 64))
        case 3: return ("another secret", Webhook.sign(body, secret: "rahasia-orang-lain"))
        case 4: return ("of other bytes", Webhook.sign(body + [0x20]))
        case 5: return ("sha1=", "sha1=" + String(right.dropFirst(7)))
        default: return ("cut short", String(right.dropLast(2)))
        }
    }

    package static func post(_ body: [UInt8], signature: String?, port: Int) async throws -> Int {
        var headers = [("Content-Type", "application/json")]
        if let signature { headers.append(("X-Hub-Signature-256", signature)) }
        return try await HTTPExchange.send("POST", URL(string: "http://127.0.0.1:\(port)/webhook")!, headers: headers, body: body, timeout: .seconds(20)).status
    }

    /// Whether the process ends within a while (a crashing Swift process first writes its backtrace).
    package static func exited(_ process: Process) async -> Bool {
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(200)) }
        return !process.isRunning
    }

    package static func crashLine(_ log: String) -> String {
        log.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("Program crashed") }.map(String.init) ?? String(log.suffix(400))
    }

    // MARK: media

    package static func pdf(size: Int) -> [UInt8] {
        let head = Array("%PDF-1.7\n% surat keterangan hilang\n".utf8)
        return head + (0..<(size - head.count)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    }

    /// Puts a file in the Graph API sandbox; returns its media id and SHA-256.
    package static func upload(_ bytes: [UInt8], contentType: String, stack: IntakeStack) async throws -> (id: String, sha256: String) {
        let answer = try await HTTPExchange.send(
            "POST", URL(string: "http://127.0.0.1:\(stack.sandboxPort)/_sandbox/media")!, headers: [("Content-Type", contentType)], body: bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: answer.data) as? [String: String])
        return (try #require(object["id"]), try #require(object["sha256"]))
    }

    package static func document(from phone: String, id: String, media: (id: String, sha256: String), fileName: String) -> String {
        Webhook.message(
            id: id, from: phone,
            #""type":"document","document":{"id":"\#(media.id)","mime_type":"application/pdf","sha256":"\#(media.sha256)","filename":"\#(fileName)"}"#)
    }
}
