import Crypto
import Foundation
import Hex

/// Webhook bodies as Meta sends them.
package enum Webhook {
    /// `X-Hub-Signature-256` as Meta computes it: HMAC-SHA256 of the raw body with the app secret.
    package static func signature(_ body: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.hexEncoded
    }

    /// `at`: when the applicant's phone sent it (Meta's `timestamp`); the
    /// gateway starts WhatsApp's 24-hour window from it, so it is always the
    /// clock's time unless a test moves it on purpose.
    package static func text(id: String, from: String, body: String, at time: Date = Date()) -> String {
        message(id: id, from: from, at: time, #""type":"text","text":{"body":"\#(body)"}"#)
    }

    package static func image(id: String, from: String, mediaID: String, sha256: String? = nil, caption: String = "formulir") -> String {
        let sha = sha256.map { #","sha256":"\#($0)""# } ?? ""
        return message(
            id: id, from: from, #""type":"image","image":{"id":"\#(mediaID)","mime_type":"image/jpeg","caption":"\#(caption)"\#(sha)}"#)
    }

    /// Meta's `timestamp`: whole Unix seconds, as a string.
    package static func timestamp(_ time: Date = Date()) -> String { String(Int(time.timeIntervalSince1970)) }

    package static func message(id: String, from: String, at time: Date = Date(), _ content: String) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"62274367509","phone_number_id":"1234567890"},"contacts":[{"profile":{"name":"Nur'aini"},"wa_id":"\#(from)"}],"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(timestamp(time))",\#(content)}]}}]}]}"#
    }

    /// `callback`: the `biz_opaque_callback_data` the message was sent with (WhatsApp echoes it).
    package static func status(id: String, to: String, _ status: String, at time: Date = Date(), callback: String? = nil) -> String {
        let echo = callback.map { #","biz_opaque_callback_data":"\#($0)""# } ?? ""
        return
            #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1234567890"},"statuses":[{"id":"\#(id)","status":"\#(status)","timestamp":"\#(timestamp(time))","recipient_id":"\#(to)"\#(echo)}]}}]}]}"#
    }
}
