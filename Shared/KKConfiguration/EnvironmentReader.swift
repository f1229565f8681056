import Foundation

/// Reads settings from the environment. A variable that is unset or empty
/// takes its default; one that is set but malformed or out of range is
/// refused, naming the variable, its value and what it must be: a typo in a
/// deployment file stops the service at start instead of running it on a
/// default nobody chose (`KK_GATEWAY_PORT=abc` never becomes 8080).
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The variable's value, or nil when it is unset or empty.
    public subscript(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The value, or `value` when unset.
    public func string(_ name: String, default value: String) -> String {
        self[name] ?? value
    }

    /// The value; refused when unset, with an example of a good one.
    public func required(_ name: String, example: String) throws(ConfigurationError) -> String {
        guard let value = self[name] else { throw .missing(variable: name, example: example) }
        return value
    }

    /// One of `allowed` (compared without regard to case; returned as written in `allowed`).
    public func choice(_ name: String, default value: String, allowed: [String]) throws(ConfigurationError) -> String {
        guard let text = self[name] else { return value }
        guard let match = allowed.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) else {
            throw .invalid(variable: name, value: text, expected: "one of " + allowed.joined(separator: ", "))
        }
        return match
    }

    /// A whole number within `range`.
    public func integer(_ name: String, default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = self[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw .invalid(variable: name, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A number (decimals allowed, e.g. `0.5`) within `range`.
    public func decimal(_ name: String, default value: Double, range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard let text = self[name] else { return value }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            throw .invalid(variable: name, value: text, expected: "a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A whole number of milliseconds within `range`, as a duration.
    public func milliseconds(_ name: String, default value: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Duration {
        .milliseconds(try integer(name, default: value, range: range))
    }

    /// A number of seconds (decimals allowed) within `range`, as a duration.
    public func seconds(_ name: String, default value: Double, range: ClosedRange<Double>) throws(ConfigurationError) -> Duration {
        .seconds(try decimal(name, default: value, range: range))
    }
}
