import ArgumentParser

/// The development tools, apart from the production executables (the image
/// built from deploy/Dockerfile does not contain this one): a stand-in for
/// Meta's Graph API, an applicant at a terminal, development signing keys and
/// the sample family register.
@main
struct KKDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kk-dev",
        abstract: "Development tools: the Graph API sandbox, a simulated applicant, development keys, sample families. Not for production.",
        discussion: """
            `sandbox` stands in for Meta's Graph API (point the gateway's KK_WA_GRAPH_URL at it); `simulate` is an applicant
            writing to the gateway's webhook; `keygen` makes a development CA and the Kepala Dinas' certificate (a production
            office's services refuse them); `register-seed` loads sample families through kk-admin's officer API (refused on
            a database marked production).
            """,
        subcommands: [Sandbox.self, Simulate.self, Keygen.self, RegisterSeed.self])
}
