import Foundation
import Hummingbird
import KKDomain
import KKHTTP
import KKStore
import Logging
import Metrics
import Postgres

/// The public verification page a signed KK's QR code opens:
/// `GET /verifikasi/<document id>?h=<sha256 of the signed record>`. Anyone may
/// call it, so it shows little (the masked KK number, the head of family's
/// initials, the issue date) and one verdict: valid, replaced by a newer KK,
/// revoked, or not issued. Each lookup is recorded in `public_verifications`;
/// each client (the `X-Real-IP` the ingress sets, else one shared bucket) gets
/// `perClient` lookups a minute and everyone together `overall`.
public struct PublicVerificationPage: Sendable {
    let pool: PostgresPool
    let logger: Logger
    let perClient: ClientRateLimiter
    let overall: ClientRateLimiter

    public init(pool: PostgresPool, logger: Logger, perClientPerMinute: Int, overallPerMinute: Int) {
        self.pool = pool
        self.logger = logger
        perClient = ClientRateLimiter(perMinute: perClientPerMinute)
        overall = ClientRateLimiter(perMinute: overallPerMinute, maximumClients: 1)
    }

    /// The one route, on a router of its own.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("verifikasi/:document") { request, context in
            await answer(document: context.parameters.get("document") ?? "", digest: request.uri.queryParameters.get("h"), request: request)
        }
        return router
    }

    public func application(host: String, port: Int) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "kk-verifikasi"), logger: logger)
    }

    func answer(document: String, digest: String?, request: Request) async -> Response {
        let client = request.headers[.init("X-Real-IP")!].map { String($0.prefix(64)) } ?? "-"
        guard perClient.admit(client), overall.admit("*") else {
            Counter(label: "kk_public_verifications_total", dimensions: [("outcome", "dibatasi")]).increment()
            return page(.tooManyRequests, Verdict.limited)
        }
        let documentID = UUID(uuidString: document)
        let contentSHA256 = digest?.lowercased()
        var standing: IssuedDocumentStanding?
        if let documentID, let contentSHA256, contentSHA256.count == 64, contentSHA256.allSatisfy(\.isHexDigit) {
            do {
                standing = try await SignedDocuments.standing(documentID: documentID, contentSHA256: contentSHA256, on: pool)
            } catch {
                logger.error("public verification lookup failed", metadata: ["error": "\(error)"])
                return page(.serviceUnavailable, Verdict.unavailable)
            }
        }
        let outcome = standing?.state.outcome ?? "tidak_ditemukan"
        Counter(label: "kk_public_verifications_total", dimensions: [("outcome", outcome)]).increment()
        do {
            try await pool.query(
                "INSERT INTO public_verifications (document_id, outcome, client) VALUES (\(standing?.documentID), \(outcome), \(client))")
        } catch {
            // The verdict is still given; the missing record is in the log for the operator.
            logger.error("public verification not recorded", metadata: ["error": "\(error)", "outcome": "\(outcome)"])
        }
        guard let standing else { return page(.notFound, Verdict.notFound) }
        return page(.ok, Verdict(standing))
    }

    /// What the page says.
    struct Verdict {
        let heading: String
        let explanation: String
        let colour: String
        var details: [(String, String)] = []

        static let notFound = Verdict(
            heading: "KK TIDAK DITEMUKAN",
            explanation: "Tidak ada Kartu Keluarga yang diterbitkan dengan kode ini. Kode QR mungkin rusak atau disalin keliru, "
                + "atau dokumen ini tidak asli. Jangan gunakan dokumen ini; hubungi kantor Disdukcapil.",
            colour: "#b00020")
        static let limited = Verdict(
            heading: "TERLALU BANYAK PEMERIKSAAN",
            explanation: "Terlalu banyak pemeriksaan dari alamat ini dalam satu menit. Silakan coba lagi sebentar lagi.", colour: "#555")
        static let unavailable = Verdict(
            heading: "LAYANAN SEDANG TIDAK TERSEDIA",
            explanation: "Pemeriksaan tidak dapat dilakukan saat ini. Silakan coba lagi beberapa menit lagi.", colour: "#555")

        init(heading: String, explanation: String, colour: String) {
            self.heading = heading
            self.explanation = explanation
            self.colour = colour
        }

        init(_ standing: IssuedDocumentStanding) {
            switch standing.state {
            case .valid:
                self.init(
                    heading: "KK SAH DAN BERLAKU",
                    explanation: "Kartu Keluarga ini diterbitkan dan ditandatangani secara elektronik oleh Dinas Kependudukan dan Pencatatan Sipil. "
                        + "Cocokkan data di bawah ini dengan KK yang Anda pegang.",
                    colour: "#1b5e20")
            case .replaced(let on):
                self.init(
                    heading: "KK SUDAH DIGANTI",
                    explanation: "Kartu Keluarga ini asli, tetapi keluarga ini telah menerima KK yang lebih baru pada tanggal "
                        + "\(CalendarDate(on).indonesianFormat). KK ini tidak berlaku lagi; gunakan KK terbaru.",
                    colour: "#e65100")
            case .revoked(let on, _):
                self.init(
                    heading: "KK DICABUT",
                    explanation: "Kartu Keluarga ini dicabut oleh Kepala Dinas pada tanggal \(CalendarDate(on).indonesianFormat) "
                        + "dan tidak berlaku. Hubungi kantor Disdukcapil.",
                    colour: "#b00020")
            }
            details = [
                ("Nomor KK", standing.maskedKKNumber), ("Kepala keluarga (inisial)", standing.headInitials ?? "-"),
                ("Tanggal terbit", CalendarDate(standing.signedAt).indonesianFormat),
                ("Id dokumen", standing.documentID.uuidString.lowercased()),
            ]
        }
    }

    private func page(_ status: HTTPResponse.Status, _ verdict: Verdict) -> Response {
        let rows = verdict.details.map { "<tr><th>\(Self.escape($0.0))</th><td>\(Self.escape($0.1))</td></tr>" }.joined()
        let html = """
            <!DOCTYPE html>
            <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>Verifikasi Kartu Keluarga</title>
            <style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em}h1{font-size:1.1em}
            .verdict{color:#fff;background:\(verdict.colour);padding:.8em;font-weight:bold;font-size:1.2em}th{text-align:left;padding-right:1em}</style>
            </head><body><h1>Verifikasi Kartu Keluarga</h1>
            <p class="verdict">\(Self.escape(verdict.heading))</p><p>\(Self.escape(verdict.explanation))</p>
            <table>\(rows)</table></body></html>
            """
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
