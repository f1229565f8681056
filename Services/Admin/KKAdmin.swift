import ArgumentParser
import KKRuntime

@main
struct KKAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-admin",
        abstract: "Operators' CLI: database schema, Kafka topics, officers, the family register, and checks of the local set-up.",
        discussion: """
            Reads KK_DATABASE_URL and KK_KAFKA_BROKERS from the environment
            (for the local stack: eval "$(bash deploy/local/stack.sh env)").
            """,
        subcommands: [Check.self, Migrate.self, Topics.self, OfficerCommand.self, RegisterCommand.self, RequestCommand.self, SLACommand.self, DeadLetterCommand.self, ReplayCommand.self, AuditCommand.self, Login.self, Logout.self, WhoAmI.self])
}
