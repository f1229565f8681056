import KKDomain

/// An error a CLI prints as is (no stack, no type name) before exiting with status 1;
/// the officer API answers it as a refusal (`ditolak`), as any `OfficerFacingError`.
public struct CLIFailure: OfficerFacingError {
    public let description: String
    public init(_ message: String) { self.description = message }
}
