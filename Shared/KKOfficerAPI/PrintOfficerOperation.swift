import KKDomain

/// An operation of the Petugas Cetak, the officer of SOP 8-10 (sending the signed KK,
/// its receipts, the archive): only that role may run one.
public protocol PrintOfficerOperation: OfficerOperation {}

extension PrintOfficerOperation {
    public static var allowed: Set<Role> { [.printOfficer] }
}
