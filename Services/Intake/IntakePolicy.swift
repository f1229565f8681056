import KKConfiguration
import KKDomain

/// The office's settings the conversation follows: who may ask for a family's
/// KK (`KK_APPLICANT_MEMBERS`) and the retention schedule the privacy notice
/// states (`KK_RETENTION_*`). Read once at start; a bad value stops intake.
struct IntakePolicy: Sendable {
    var members: ApplicantMembers = .adult
    var retention = RetentionSchedule()

    static func configured(_ environment: EnvironmentReader = EnvironmentReader()) throws -> IntakePolicy {
        IntakePolicy(members: try .configured(environment), retention: try .configured(environment))
    }
}
