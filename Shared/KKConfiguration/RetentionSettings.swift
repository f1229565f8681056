import KKDomain

extension RetentionSchedule {
    /// The office's schedule from `KK_RETENTION_DOCUMENT_DAYS` and
    /// `KK_RETENTION_CONVERSATION_DAYS`; a malformed value stops the service at start.
    public static func configured(_ environment: EnvironmentReader = EnvironmentReader()) throws(ConfigurationError) -> RetentionSchedule {
        RetentionSchedule(
            documentDays: try environment.integer("KK_RETENTION_DOCUMENT_DAYS", default: 30, range: 1...3650),
            conversationDays: try environment.integer("KK_RETENTION_CONVERSATION_DAYS", default: 90, range: 1...3650))
    }
}

extension ApplicantMembers {
    /// Who may ask for a family's KK (`KK_APPLICANT_MEMBERS`: adult, the default, or head).
    public static func configured(_ environment: EnvironmentReader = EnvironmentReader()) throws(ConfigurationError) -> ApplicantMembers {
        ApplicantMembers(rawValue: try environment.choice("KK_APPLICANT_MEMBERS", default: "adult", allowed: allCases.map(\.rawValue)))!
    }
}
