import Foundation
import KKDocument
import KKDomain
import Testing

private let today = CalendarDate(year: 2026, month: 11, day: 25)!

@Suite("The KK as a PDF: A4 landscape, every column as real text, embedded fonts, nothing cut off")
struct KKDocumentTests {
    static func content(_ record: FamilyRecord) -> KKDocumentContent {
        let id = UUID()
        return KKDocumentContent(
            record: record, issueDate: today, signerName: "DR. HJ. SRI WAHYUNI, M.SI.", signerNIP: "197005121995032004",
            verificationReference: "KKBANTUL:1:\(id.uuidString.lowercased()):\(String(repeating: "ab", count: 32))", documentID: id,
            certificateIssuer: "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara")
    }

    /// A family of 12 with very long names and an Indonesian character or two.
    static func bigFamily() throws -> FamilyRecord {
        var record = SampleFamilies.generate(count: 30, today: today).first { $0.members.count >= 3 }!
        let region = String(record.kkNumber.value.prefix(6))
        var sequence = 9000
        while record.members.count < 12 {
            sequence += 1
            let born = CalendarDate(year: 1990 + record.members.count, month: 3, day: 10)!
            record.members.append(
                FamilyMember(
                    fullName: "RADEN AYU KUSUMANINGTYAS PARAMESWARI HADININGRAT PUTRI KE-\(record.members.count)",
                    nik: NIK.make(region: region, birthDate: born, sex: .female, sequence: sequence),
                    sex: .female, birthPlace: "KABUPATEN GUNUNGKIDUL", birthDate: born, religion: .indigenousFaith, education: .diplomaThree,
                    occupation: Occupation(rawValue: "ANGGOTA DPRD KABUPATEN/KOTA")!, bloodType: .abNegative, maritalStatus: .single, marriageDate: nil,
                    relationship: .otherRelative, fatherName: "RADEN MAS BAMBANG SUGIHARTO WIRYOSUDARMO HADININGRAT", motherName: "NGATINAH D'SOUZA"))
        }
        return record
    }

    @Test("pdftotext finds the title, the KK number, every member's name and NIK, and the signer")
    func realText() throws {
        let record = SampleFamilies.generate(count: 40, today: today).first { $0.members.count >= 5 }!
        let pdf = try KKDocumentRenderer.render(Self.content(record))
        let file = try PopplerTool.file(pdf, name: "kk.pdf")
        try? Data(pdf).write(to: URL(fileURLWithPath: "/tmp/kk-sample.pdf"))
        let text = try PopplerTool.run("pdftotext", ["-layout", file.path, "-"])
        #expect(text.contains("KARTU KELUARGA") && text.contains(record.kkNumber.value))
        for member in record.members {
            #expect(text.contains(member.nik.value), "NIK \(member.nik.value)")
            #expect(text.contains(member.fullName), "\(member.fullName)")
        }
        #expect(text.contains("DR. HJ. SRI WAHYUNI, M.SI.") && text.contains("NIP. 197005121995032004"))
        #expect(text.contains("KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL") && text.contains("25-11-2026"))
        #expect(text.contains("ditandatangani secara elektronik"))
    }

    @Test(
        "the tables carry the form's grouped headings; the footer carries the electronic-signature statement with its issuer, the head of family and the QR, and no command"
    )
    func formHeadingsAndFooter() throws {
        let record = SampleFamilies.generate(count: 40, today: today).first { $0.members.count >= 3 }!
        let content = Self.content(record)
        let pdf = try KKDocumentRenderer.render(content)
        let file = try PopplerTool.file(pdf, name: "kk-headings.pdf")
        let raw = try PopplerTool.run("pdftotext", ["-raw", file.path, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for heading in ["DOKUMEN IMIGRASI", "NAMA ORANG TUA", "No. Paspor", "No. KITAP", "Ayah", "Ibu", "Status Perkawinan", "Kewarganegaraan"] {
            #expect(raw.contains(heading), "\(heading)")
        }
        #expect(!raw.contains("Nama Ayah") && !raw.contains("Nama Ibu"), "the parents' columns sit under NAMA ORANG TUA")
        #expect(
            raw.contains(
                "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh "
                    + "Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara"), "\(raw)")
        let head = try #require(record.head)
        #expect(raw.contains("KEPALA KELUARGA") && raw.contains(head.fullName))
        #expect(raw.contains("Periksa keaslian KK ini dengan memindai kode QR."))
        #expect(!raw.contains("kk-sign") && !raw.contains("`"), "a citizen's KK names no developer command")
        // The QR still decodes to the verification reference.
        let prefix = file.deletingPathExtension().path
        _ = try PopplerTool.run("pdftoppm", ["-r", "200", "-png", "-singlefile", file.path, prefix])
        let decoded = try PopplerTool.run("zbarimg", ["--raw", "-q", prefix + ".png"])
        #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == content.verificationReference)
    }

    @Test("a family of 12 with long names: one A4-landscape page, every name and NIK readable")
    func bigFamilyFits() throws {
        let record = try Self.bigFamily()
        let pdf = try KKDocumentRenderer.render(Self.content(record))
        let file = try PopplerTool.file(pdf, name: "kk-12.pdf")
        try? Data(pdf).write(to: URL(fileURLWithPath: "/tmp/kk-sample-12.pdf"))
        let info = try PopplerTool.run("pdfinfo", [file.path]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(info.contains("Pages: 1"), "\(info)")
        #expect(info.contains("Page size: 841.89 x 595.28 pts (A4)"), "\(info)")
        let raw = try PopplerTool.run("pdftotext", ["-raw", file.path, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for member in record.members {
            #expect(raw.contains(member.nik.value), "NIK \(member.nik.value)")
            #expect(raw.contains(member.fullName), "\(member.fullName)")
        }
        #expect(raw.contains("RADEN MAS BAMBANG SUGIHARTO WIRYOSUDARMO HADININGRAT") && raw.contains("NGATINAH D'SOUZA"))
    }

    @Test("pdftoppm renders a landscape page in A4 proportions; every font is embedded")
    func rendersLandscapeWithEmbeddedFonts() throws {
        let pdf = try KKDocumentRenderer.render(Self.content(try Self.bigFamily()))
        let file = try PopplerTool.file(pdf, name: "kk-png.pdf")
        let prefix = file.deletingPathExtension().path
        _ = try PopplerTool.run("pdftoppm", ["-r", "50", "-png", "-singlefile", file.path, prefix])
        let png = Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > height)
        #expect(abs(Double(width) / Double(height) - 297.0 / 210.0) < 0.01, "\(width)x\(height)")
        let fonts = try PopplerTool.run("pdffonts", [file.path]).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.count >= 5 && columns[columns.count - 5] == "yes", "font not embedded: \(line)")
        }
    }

    @Test("the PDF is version 1.4 with a classic cross-reference table, so it can be signed incrementally")
    func classicStructure() throws {
        let pdf = try KKDocumentRenderer.render(Self.content(SampleFamilies.generate(count: 1, today: today)[0]))
        #expect(pdf.starts(with: Array("%PDF-1.4".utf8)))
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("\nxref\n") && text.contains("trailer"))
    }
}
