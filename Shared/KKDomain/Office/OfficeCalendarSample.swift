extension OfficeCalendar {
    /// The calendar a service uses when the office has configured none:
    /// Monday to Thursday 08.00-15.30 and Friday 08.00-14.30 WIB, and the 2026
    /// national holidays and cuti bersama as the joint ministerial decree
    /// (SKB 3 Menteri) set them, with 2027's fixed-date holidays. A sample: an
    /// office keeps its own file (`KK_OFFICE_CALENDAR_FILE`) and adds each
    /// year's decree, its regional holidays and its own closures.
    public static let sample = OfficeCalendar(
        hours: [1: Hours("08:00-15:30")!, 2: Hours("08:00-15:30")!, 3: Hours("08:00-15:30")!, 4: Hours("08:00-15:30")!, 5: Hours("08:00-14:30")!],
        holidays: [
            ("2026-01-01", "Tahun Baru 2026 Masehi", false), ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW", false),
            ("2026-02-16", "Cuti bersama Tahun Baru Imlek", true), ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili", false),
            ("2026-03-18", "Cuti bersama Hari Suci Nyepi", true), ("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948", false),
            ("2026-03-20", "Cuti bersama Idul Fitri 1447 H", true), ("2026-03-21", "Idul Fitri 1447 H", false),
            ("2026-03-22", "Idul Fitri 1447 H", false), ("2026-03-23", "Cuti bersama Idul Fitri 1447 H", true),
            ("2026-03-24", "Cuti bersama Idul Fitri 1447 H", true), ("2026-04-03", "Wafat Yesus Kristus", false),
            ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)", false), ("2026-05-01", "Hari Buruh Internasional", false),
            ("2026-05-14", "Kenaikan Yesus Kristus", false), ("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus", true),
            ("2026-05-27", "Idul Adha 1447 H", false), ("2026-05-28", "Cuti bersama Idul Adha 1447 H", true),
            ("2026-05-31", "Hari Raya Waisak 2570 BE", false), ("2026-06-01", "Hari Lahir Pancasila", false),
            ("2026-06-16", "Tahun Baru Islam 1448 H", false), ("2026-08-17", "Proklamasi Kemerdekaan Republik Indonesia", false),
            ("2026-08-25", "Maulid Nabi Muhammad SAW", false), ("2026-12-24", "Cuti bersama Hari Raya Natal", true),
            ("2026-12-25", "Hari Raya Natal", false),
            ("2027-01-01", "Tahun Baru 2027 Masehi", false), ("2027-05-01", "Hari Buruh Internasional", false),
            ("2027-06-01", "Hari Lahir Pancasila", false), ("2027-08-17", "Proklamasi Kemerdekaan Republik Indonesia", false),
            ("2027-12-25", "Hari Raya Natal", false),
        ].map { Holiday(date: CalendarDate(iso: $0.0)!, name: $0.1, collectiveLeave: $0.2) })

    /// Open every hour of every day, no holidays: wall-clock time (for tests
    /// and for an office that measures its standards around the clock).
    public static let alwaysOpen = OfficeCalendar(
        hours: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, Hours("00:00-24:00")!) }), holidays: [])
}
