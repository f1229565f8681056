import ArgumentParser
import Foundation
import KKDocument
import KKDomain
import KKSigning

/// SOP 7's work for the machine: render a KK (a family of 6) and sign it, as
/// `kk-sign sign` does, without the database. The SOP gives the step one minute.
struct SigningBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "KK documents rendered and signed per second (a family of 6), and the time of one.")

    struct Options: ParsableArguments {
        @Option(help: "How many KKs to render and sign.") var documents = 60
    }

    @OptionGroup var options: Options

    func run() async throws {
        let result = try Self.measure(options)
        Self.printResult(result)
    }

    struct Result {
        let documents: Int
        let seconds: Double
        let single: [Double]
        var perSecond: Double { Double(documents) / seconds }
    }

    static func measure(_ options: Options) throws -> Result {
        let today = CalendarDate(Date())
        let family =
            SampleFamilies.generate(count: 400, today: today).first { $0.members.count == 6 }
            ?? SampleFamilies.generate(count: 1, today: today)[0]
        let keys = try DevelopmentKeys.generate(name: "Kepala Dinas Uji", nip: "197005121995032004", passphrase: "bench")
        let identity = try SigningIdentity(certificatePEM: keys.signerCertificate, keyPEM: keys.signerKey, passphrase: "bench", chainPEM: keys.caCertificate)
        var times: [Double] = []
        let start = Date()
        for _ in 0..<options.documents {
            let one = Date()
            let id = UUID()
            let pdf = try KKDocumentRenderer.render(
                KKDocumentContent(
                    record: family, issueDate: today, signerName: "KEPALA DINAS UJI", signerNIP: "197005121995032004",
                    verificationReference: "KKBANTUL:1:\(id.uuidString.lowercased()):\(String(repeating: "0", count: 64))", documentID: id,
                    certificateIssuer: DevelopmentKeys.caCommonName(regencyTitle: "Kabupaten Bantul")))
            let now = Date()
            _ = try PDFSigner.sign(pdf, info: PDFSignatureInfo(name: identity.signerName, reason: "bench", location: "Bantul", signingTime: now)) {
                try identity.cmsSignature($0, at: now)
            }
            times.append(Date().timeIntervalSince(one))
        }
        return Result(documents: options.documents, seconds: Date().timeIntervalSince(start), single: times.sorted())
    }

    static func printResult(_ result: Result) {
        let median = result.single[result.single.count / 2]
        let p99 = result.single[min(result.single.count - 1, Int(Double(result.single.count) * 0.99))]
        print(
            String(
                format: "KK render + sign (family of 6): %.1f documents/s; one: median %.0f ms, p99 %.0f ms (SOP 7 standard: 60000 ms)",
                result.perSecond, median * 1000, p99 * 1000))
    }
}
