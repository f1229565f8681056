/// Why an event could not be read. An unknown type or version is reported, never guessed.
public enum EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unknownType(String)
    case unsupportedVersion(type: String, version: Int, supported: [Int])
    case typeMismatch(expected: String, found: String)

    public var description: String {
        switch self {
        case let .malformed(reason): "malformed event: \(reason)"
        case let .unknownType(type): "unknown event type '\(type)'"
        case let .unsupportedVersion(type, version, supported):
            "event '\(type)' has schema version \(version); this build reads \(supported.map(String.init).joined(separator: ", "))"
        case let .typeMismatch(expected, found): "expected event '\(expected)', found '\(found)'"
        }
    }
}
