import Foundation

/// "3 mnt", "1 jam 5 mnt": durations as officers read them.
public func indonesianDuration(_ seconds: TimeInterval) -> String {
    let minutes = Int((seconds / 60).rounded(.down))
    if minutes < 1 { return "\(Int(seconds)) dtk" }
    if minutes < 60 { return "\(minutes) mnt" }
    let hours = minutes / 60
    if hours < 48 { return "\(hours) jam \(minutes % 60) mnt" }
    return "\(hours / 24) hari"
}
