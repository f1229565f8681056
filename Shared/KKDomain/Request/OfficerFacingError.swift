/// An error whose description is written for the officer at the terminal (in
/// Indonesian, saying what to do next); the CLIs print it as is.
public protocol OfficerFacingError: Error, CustomStringConvertible {}

extension TransitionError: OfficerFacingError {}
extension NIKError: OfficerFacingError {}
extension FamilyRecordInvalid: OfficerFacingError {}
extension RegisterViolation: OfficerFacingError {}
