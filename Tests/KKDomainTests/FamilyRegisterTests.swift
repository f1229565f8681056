import Foundation
import KKDomain
import Testing

private let today = CalendarDate(year: 2026, month: 11, day: 25)!

/// A small family written by hand (not from the generator), for the change rules.
private func family() throws -> FamilyRecord {
    let head = FamilyMember(
        fullName: "SUGENG WIDODO", nik: try NIK("3402081503800003"), sex: .male, birthPlace: "BANTUL",
        birthDate: CalendarDate(year: 1980, month: 3, day: 15)!, religion: .islam, education: .seniorSecondary,
        occupation: Occupation(rawValue: "PETANI/PEKEBUN")!, bloodType: .o, maritalStatus: .marriedRegistered,
        marriageDate: CalendarDate(year: 2005, month: 6, day: 12)!, relationship: .head, fatherName: "SLAMET RAHARJO",
        motherName: "TUMINAH")
    let wife = FamilyMember(
        fullName: "SRI LESTARI", nik: try NIK("3402085708830002"), sex: .female, birthPlace: "SLEMAN",
        birthDate: CalendarDate(year: 1983, month: 8, day: 17)!, religion: .islam, education: .diplomaThree,
        occupation: .homemaker, bloodType: .a, maritalStatus: .marriedRegistered,
        marriageDate: CalendarDate(year: 2005, month: 6, day: 12)!, relationship: .wife, fatherName: "PRAPTO",
        motherName: "PARIYEM")
    return FamilyRecord(
        kkNumber: try KKNumber("3402081206050001"),
        address: Address(street: "DUSUN GANDEKAN", rt: "004", rw: "002", village: "TRIRENGGO", district: "BANTUL", postalCode: "55711"),
        issueDate: CalendarDate(year: 2005, month: 6, day: 12)!, members: [head, wife])
}

private func violations(_ body: () throws -> Void) -> [RegisterViolation] {
    do {
        try body()
        return []
    } catch let error as FamilyRecordInvalid {
        return error.violations
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

@Suite("The family register's rules")
struct FamilyRegisterTests {
    @Test("sample families: every one valid, all 17 kecamatan, NIKs and KK numbers unique and valid")
    func sampleFamilies() throws {
        let families = SampleFamilies.generate(count: 500, today: today)
        #expect(families.count == 500)
        for family in families {
            #expect(family.violations(today: today).isEmpty, "\(family.kkNumber): \(family.violations(today: today))")
            #expect(try KKNumber(family.kkNumber.value).regionCode == Region.bantulKecamatanCode(named: family.address.district))
        }
        #expect(Set(families.map(\.address.district)).count == 17)
        let niks = families.flatMap(\.members).map(\.nik.value)
        #expect(Set(niks).count == niks.count)
        #expect(Set(families.map(\.kkNumber.value)).count == 500)
        #expect(families.contains { $0.members.count >= 5 })
        #expect(SampleFamilies.generate(count: 3, today: today) == Array(families.prefix(3)), "the same seed gives the same families")
    }

    @Test("a birth is added with the newborn's defaults; the result is valid")
    func birth() throws {
        let before = try family()
        let after = try FamilyChange.apply(
            [
                .addMember(
                    reason: .birth,
                    values: [
                        "nama_lengkap": "nayla putri widodo", "nik": "3402084310260001", "jenis_kelamin": "P",
                        "tempat_lahir": "Bantul", "tanggal_lahir": "03-10-2026", "agama": "islam",
                        "nama_ayah": "SUGENG WIDODO", "nama_ibu": "SRI LESTARI",
                    ])
            ], to: before, today: today)
        let baby = try #require(after.member("3402084310260001"))
        #expect(baby.fullName == "NAYLA PUTRI WIDODO")
        #expect(baby.relationship == .child && baby.maritalStatus == .single && baby.occupation == .unemployed)
        #expect(
            FamilyDifference.between(before, after) == [
                FamilyDifference(kind: .memberAdded, nik: "3402084310260001", subject: "NAYLA PUTRI WIDODO", old: nil, new: nil)
            ])
    }

    @Test("changing, removing and moving: each difference is marked")
    func changes() throws {
        let before = try family()
        let after = try FamilyChange.apply(
            [
                .updateMember(nik: "3402085708830002", values: ["jenis_pekerjaan": "guru", "pendidikan": "DIPLOMA IV/STRATA I"]),
                .updateAddress(values: ["rt": "7"]),
            ], to: before, today: today)
        let differences = FamilyDifference.between(before, after)
        #expect(differences.map(\.kind) == [.addressChanged(.rt), .memberChanged(.education), .memberChanged(.occupation)])
        #expect(differences[0].old == "004" && differences[0].new == "007")
        #expect(differences[2].description == "SRI LESTARI: Jenis Pekerjaan MENGURUS RUMAH TANGGA -> GURU")
        let widowed = try FamilyChange.apply(
            [
                .removeMember(nik: "3402081503800003", reason: .death),
                .updateMember(nik: "3402085708830002", values: ["status_hubungan": "KEPALA KELUARGA", "status_perkawinan": "CERAI MATI"]),
            ], to: before, today: today)
        #expect(widowed.head?.fullName == "SRI LESTARI")
        #expect(FamilyDifference.between(before, widowed).contains { $0.kind == .memberRemoved && $0.nik == "3402081503800003" })
    }

    @Test("every invalid value names the field and the rule")
    func invalidValues() throws {
        let record = try family()
        func refused(_ change: FamilyChange) -> [RegisterViolation] {
            violations { _ = try FamilyChange.apply([change], to: record, today: today) }
        }
        let badNIK = refused(.updateMember(nik: "3402081503800003", values: ["nik": "34020815038000"]))
        #expect(badNIK.map(\.field) == ["nik"] && badNIK[0].rule.contains("16 angka"))
        let mismatch = refused(.updateMember(nik: "3402081503800003", values: ["tanggal_lahir": "1980-03-16"]))
        #expect(mismatch.map(\.field) == ["nik"] && mismatch[0].rule.contains("tidak sama dengan tanggal lahir"))
        let occupation = refused(.updateMember(nik: "3402081503800003", values: ["jenis_pekerjaan": "ASTRONOT"]))
        #expect(occupation.map(\.field) == ["jenis_pekerjaan"] && occupation[0].rule.contains("PETANI/PEKEBUN"))
        let unknownColumn = refused(.updateMember(nik: "3402081503800003", values: ["pekerjaan": "GURU"]))
        #expect(unknownColumn[0].field == "pekerjaan" && unknownColumn[0].rule.contains("jenis_pekerjaan"))
        let twoHeads = refused(.updateMember(nik: "3402085708830002", values: ["status_hubungan": "KEPALA KELUARGA"]))
        #expect(twoHeads.contains { $0.field == "status_hubungan" && $0.rule.contains("tepat satu KEPALA KELUARGA") })
        let noHead = refused(.removeMember(nik: "3402081503800003", reason: .movingOut))
        #expect(noHead.contains { $0.rule.contains("tepat satu KEPALA KELUARGA; sekarang 0") })
        let single = refused(.updateMember(nik: "3402081503800003", values: ["status_perkawinan": "BELUM KAWIN"]))
        #expect(single.map(\.field) == ["tanggal_perkawinan"])
        let foreign = refused(.updateMember(nik: "3402081503800003", values: ["kewarganegaraan": "WNA"]))
        #expect(Set(foreign.map(\.field)) == ["no_paspor", "no_kitap"])
        let village = refused(.updateAddress(values: ["desa_kelurahan": "PARANGTRITIS"]))
        #expect(village.map(\.field) == ["desa_kelurahan"] && village[0].rule.contains("TRIRENGGO"))
        let rt = refused(.updateAddress(values: ["rt": "12a"]))
        #expect(rt.map(\.field) == ["rt"])
        let stranger = refused(.removeMember(nik: "3402081111110001", reason: .death))
        #expect(stranger[0].rule.contains("tidak ada anggota dengan NIK 3402081111110001"))
        let future = refused(.updateMember(nik: "3402081503800003", values: ["tanggal_lahir": "2027-03-15", "nik": "3402081503270001"]))
        #expect(future.contains { $0.field == "tanggal_lahir" && $0.rule.contains("setelah hari ini") })
        let duplicate = refused(
            .addMember(
                reason: .movingIn,
                values: [
                    "nama_lengkap": "SUGENG LAIN", "nik": "3402081503800003", "jenis_kelamin": "L", "tempat_lahir": "BANTUL",
                    "tanggal_lahir": "1980-03-15", "agama": "ISLAM", "pendidikan": "SLTA/SEDERAJAT", "jenis_pekerjaan": "SOPIR",
                    "golongan_darah": "A", "status_perkawinan": "BELUM KAWIN", "status_hubungan": "FAMILI LAIN",
                    "kewarganegaraan": "WNI", "nama_ayah": "-", "nama_ibu": "-",
                ]))
        #expect(duplicate[0].rule.contains("sudah terdaftar di KK ini atas nama SUGENG WIDODO"))
        let incomplete = refused(.addMember(reason: .movingIn, values: ["nama_lengkap": "TAMU"]))
        #expect(incomplete.contains { $0.field == "nik" && $0.rule.contains("wajib diisi") })
    }

    @Test("the JSON file officers write decodes into changes, and an unknown kind is named")
    func changeFile() throws {
        let text = """
            {"perubahan": [
              {"jenis": "ubah_anggota", "nik": "3402081503800003", "data": {"jenis_pekerjaan": "WIRASWASTA"}},
              {"jenis": "hapus_anggota", "nik": "3402085708830002", "alasan": "pindah_keluar"},
              {"jenis": "ubah_alamat", "data": {"rw": "003"}}
            ]}
            """
        let file = try JSONDecoder().decode(FamilyChangeFile.self, from: Data(text.utf8))
        #expect(
            file.changes == [
                .updateMember(nik: "3402081503800003", values: ["jenis_pekerjaan": "WIRASWASTA"]),
                .removeMember(nik: "3402085708830002", reason: .movingOut), .updateAddress(values: ["rw": "003"]),
            ])
        let again = try JSONDecoder().decode(FamilyChangeFile.self, from: JSONEncoder().encode(file))
        #expect(again.changes == file.changes)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FamilyChangeFile.self, from: Data(#"{"perubahan": [{"jenis": "ganti"}]}"#.utf8))
        }
        let record = try JSONDecoder().decode(FamilyRecord.self, from: JSONEncoder().encode(try family()))
        #expect(record == (try family()))
    }
}
