import Foundation

/// kk-archive's configuration: the targets and how many good copies make a request archived.
struct ArchiveSettings: Sendable {
    let targets: [any ArchiveTarget]
    let requiredCopies: Int
    let retryAfter: TimeInterval

    static func from(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ArchiveSettings {
        guard let text = environment["KK_ARCHIVE_TARGETS"], !text.isEmpty else {
            throw ArchiveError.configuration(
                "KK_ARCHIVE_TARGETS is not set; give at least three, e.g. server=/srv/arsip,hdd=/mnt/hdd/arsip,flash=/media/flash/arsip")
        }
        let targets = try ArchiveTargets.parse(text, sealing: try ArchiveSealing.from(environment), environment: environment)
        let required = environment["KK_ARCHIVE_COPIES"].flatMap(Int.init) ?? targets.count
        guard required >= 1, required <= targets.count else {
            throw ArchiveError.configuration("KK_ARCHIVE_COPIES=\(required) but only \(targets.count) targets are configured")
        }
        return ArchiveSettings(
            targets: targets, requiredCopies: required, retryAfter: environment["KK_ARCHIVE_RETRY_SECONDS"].flatMap(Double.init) ?? 60)
    }
}
