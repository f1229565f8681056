import Foundation
import KKConfiguration
import KKDomain

/// kk-archive's configuration: the targets and how many good copies make a request archived.
struct ArchiveSettings: Sendable {
    let targets: [any ArchiveTarget]
    let requiredCopies: Int
    let retryAfter: TimeInterval
    /// Whether a delivered KK is archived at once or waits for the print officer's `kk-archive confirm`.
    var mode: StepMode = .automatic

    static func from(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ArchiveSettings {
        guard let text = environment["KK_ARCHIVE_TARGETS"], !text.isEmpty else {
            throw ArchiveError.configuration(
                "KK_ARCHIVE_TARGETS is not set; give at least three, e.g. server=/srv/arsip,hdd=/mnt/hdd/arsip,flash=/media/flash/arsip")
        }
        let targets = try ArchiveTargets.parse(text, sealing: try ArchiveSealing.from(environment), environment: environment)
        let reader = EnvironmentReader(environment)
        // At most one copy per target: more could never be made.
        let required = try reader.integer("KK_ARCHIVE_COPIES", default: targets.count, range: 1...max(1, targets.count))
        return ArchiveSettings(
            targets: targets, requiredCopies: required, retryAfter: try reader.decimal("KK_ARCHIVE_RETRY_SECONDS", default: 60, range: 1...86_400),
            mode: StepMode(rawValue: try reader.choice("KK_ARCHIVE_MODE", default: "automatic", allowed: StepMode.allCases.map(\.rawValue)))!)
    }
}
