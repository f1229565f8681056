import ArgumentParser
import Foundation
import KKDomain
import KKOfficerAPI
import KKOfficerCLI
import KKStore
import Postgres

/// SOP 3: changes applied to the request's draft KK, checked value by value
/// and the whole family validated; nothing is saved on any error.
struct EnterChanges: RequestOperation {
    static let name = "enter"
    static let allowed: Set<Role> = [.serviceOfficer]
    let number: String
    let changes: [FamilyChange]

    func perform(_ call: OfficerCall) async throws -> [String] {
        guard !changes.isEmpty else { throw CLIFailure("Tidak ada perubahan untuk disimpan; lihat `kk-entry enter --help`.") }
        let officer = call.officer
        return try await call.transaction { tx in
            let request = try await RequestStore.load(number: number, forUpdate: true, in: tx)
            // The SOP first: a lost KK has no data entry, and only an opened request is entered.
            try await RequestStore.transition(
                request.id, action: .enter, by: officer.actor, note: changes.map(\.summary).joined(separator: "; "), in: tx)
            try await OfficerQueue.entry.take(request, by: officer, in: tx)
            var draft = try await FamilyDraft.required(for: request, forUpdate: true, in: tx)
            try await draft.enter(changes, today: CalendarDate(Date()), in: tx)
            draft.preparedBy = officer.username
            try await draft.save(in: tx)
            return try await draft.differences(in: tx).map(\.description)
        }
    }
}

/// `kk-entry enter <no> ...` (SOP 3): one change from flags, or many from a
/// JSON file, applied to the draft KK. Every value is checked and the whole
/// family validated; on any error nothing is saved and each field is named.
struct Enter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Entri perubahan data keluarga ke draft KK (SOP 3): ubah anggota, tambah, hapus, ubah alamat, atau dari berkas JSON.",
        discussion: """
            Pilih tepat satu:
              --member <NIK> --set kolom=nilai ...   ubah data anggota
              --add kelahiran|pindah_datang --set ... tambah anggota
              --remove <NIK> --because kematian|pindah_keluar
              --address --set kolom=nilai ...        ubah alamat
              --file perubahan.json                  banyak perubahan sekaligus
            Untuk kelahiran, pendidikan, pekerjaan, status perkawinan dan status
            hubungan terisi otomatis bila tidak diisi.
            Berkas JSON: {"perubahan": [
              {"jenis": "ubah_anggota", "nik": "...", "data": {"kolom": "nilai"}},
              {"jenis": "tambah_anggota", "alasan": "kelahiran", "data": {...}},
              {"jenis": "hapus_anggota", "nik": "...", "alasan": "kematian"},
              {"jenis": "ubah_alamat", "data": {"rt": "004"}}]}
            Kolom anggota: \(MemberField.allCases.map(\.rawValue).joined(separator: ", ")).
            Kolom alamat: \(AddressField.allCases.map(\.rawValue).joined(separator: ", ")).
            Tanggal ditulis TTTT-BB-HH atau HH-BB-TTTT.
            """)
    @Argument(help: "Nomor permohonan.") var number: String
    @Option(help: "NIK anggota yang datanya diubah.") var member: String?
    @Option(help: "Tambah anggota karena: kelahiran atau pindah_datang.") var add: String?
    @Option(help: "NIK anggota yang dikeluarkan dari KK.") var remove: String?
    @Option(help: "Alasan anggota keluar: kematian atau pindah_keluar.") var because: String?
    @Flag(help: "Ubah alamat keluarga.") var address = false
    @Option(name: .customLong("set"), help: "kolom=nilai (boleh berulang).") var values: [String] = []
    @Option(help: "Berkas JSON berisi banyak perubahan.") var file: String?
    @OptionGroup var server: ServerOption

    func validate() throws {
        let modes = [member != nil, add != nil, remove != nil, address, file != nil].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError("Pilih tepat satu: --member, --add, --remove, --address atau --file (lihat `kk-entry enter --help`).")
        }
        if remove != nil, because == nil { throw ValidationError("--remove butuh --because kematian atau --because pindah_keluar.") }
        if file != nil || remove != nil, !values.isEmpty { throw ValidationError("--set tidak dipakai bersama --file atau --remove.") }
    }

    func changes() throws -> [FamilyChange] {
        var pairs: [String: String] = [:]
        for item in values {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw CLIFailure("--set '\(item)' harus berbentuk kolom=nilai, misalnya --set jenis_pekerjaan=GURU.")
            }
            pairs[String(item[..<equals]).trimmingCharacters(in: .whitespaces)] = String(item[item.index(after: equals)...])
        }
        if let member { return [.updateMember(nik: member, values: pairs)] }
        if let add {
            guard let reason = AdditionReason(rawValue: add.lowercased()) else {
                throw CLIFailure("--add '\(add)' tidak dikenal; pilihan: \(AdditionReason.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return [.addMember(reason: reason, values: pairs)]
        }
        if let remove {
            guard let reason = RemovalReason(rawValue: (because ?? "").lowercased()) else {
                throw CLIFailure("--because '\(because ?? "")' tidak dikenal; pilihan: \(RemovalReason.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return [.removeMember(nik: remove, reason: reason)]
        }
        if address { return [.updateAddress(values: pairs)] }
        let path = file ?? ""
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure("Berkas '\(path)' tidak dapat dibaca.") }
        do {
            let changes = try JSONDecoder().decode(FamilyChangeFile.self, from: data).changes
            guard !changes.isEmpty else { throw CLIFailure("Berkas '\(path)' tidak berisi perubahan (daftar \"perubahan\" kosong).") }
            return changes
        } catch let error as DecodingError {
            throw CLIFailure("Berkas '\(path)' bukan daftar perubahan yang sah: \(Self.explain(error)). Lihat `kk-entry enter --help`.")
        }
    }

    func run() async throws {
        let differences = try await server.client(.entry).call(EnterChanges(number: number, changes: try changes()))
        print("Perubahan disimpan di draft KK permohonan \(number.uppercased()). Isi draft dibanding register:")
        differences.forEach { print("  * \($0)") }
        print("Bila sudah benar: `kk-entry submit \(number.uppercased())` (permohonan cetak ke Kasi/Kabid).")
    }

    static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "\(path.isEmpty ? "" : "\(path): ")\(context.debugDescription)"
        case let .keyNotFound(key, context):
            let path = (context.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "kunci '\(path)' tidak ada"
        @unknown default:
            return "\(error)"
        }
    }
}
