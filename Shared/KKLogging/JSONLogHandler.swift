import Foundation
import Logging

/// Writes one JSON object per line to standard error: time, level, service,
/// message and metadata (request id and the like), with personal data masked.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let service: String

    public init(label: String, service: String) {
        self.label = label
        self.service = service
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = "\(value)" }
        for (key, value) in metadataProvider?.get() ?? [:] { fields[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { fields[key] = "\(value)" }
        var object: [String: String] = [
            "time": Self.timestamp(),
            "level": event.level.rawValue,
            "service": service,
            "logger": label,
            "message": PersonalDataMasker.mask("\(event.message)"),
        ]
        for (key, value) in fields where object[key] == nil { object[key] = PersonalDataMasker.mask(value) }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A human-readable handler for the officer CLIs and local runs, also masked.
public struct MaskedTextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(event.level.rawValue.uppercased()) [\(label)] \(event.message)\(meta)\n"
        FileHandle.standardError.write(Data(PersonalDataMasker.mask(line).utf8))
    }
}

/// Sets up swift-log once per process.
public enum LoggingSetup {
    public static func bootstrap(service: String, format: String, level: String) {
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == "text" ? MaskedTextLogHandler(label: label) : JSONLogHandler(label: label, service: service)
            handler.logLevel = parsed
            return handler
        }
    }
}
