import Foundation
import KKLoad
import KKTesting
import Testing

/// The operator's deployment files (deploy/Dockerfile, docker-compose.yml,
/// deploy/k8s, deploy/grafana) are checked offline by
/// deploy/validate/validate_deploy.py: the Compose Specification and
/// Kubernetes JSON schemas, and that every program they run is an executable
/// of Package.swift. No Docker engine or cluster is needed.
@Suite("Deployment files: compose, Kubernetes, Dockerfile, dashboard")
struct DeploymentFilesTests {
    @Test("the repository's deployment files pass the offline validator")
    func repositoryPasses() throws {
        let result = try DeployValidator.run(root: TestStack.repositoryRoot)
        #expect(result.status == 0, "the deployment validator found problems:\n\(result.output)")
        #expect(result.output.contains("All deployment checks passed."), "\(result.output)")
    }

    @Test("a broken copy of the deployment files fails, naming the problem", arguments: Breakage.allCases)
    func brokenCopyFails(_ breakage: Breakage) throws {
        let copy = try DeployValidator.copyOfDeploymentFiles()
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent(breakage.file)
        let text = try String(contentsOf: file, encoding: .utf8)
        let broken = try #require(breakage.apply(to: text), "\(breakage.file) no longer contains what \(breakage) changes")
        try broken.write(to: file, atomically: true, encoding: .utf8)

        let result = try DeployValidator.run(root: copy)
        #expect(result.status == 1, "the validator should have failed on \(breakage):\n\(result.output)")
        for phrase in breakage.expectedPhrases {
            #expect(result.output.contains(phrase), "expected \"\(phrase)\" in the validator's output:\n\(result.output)")
        }
    }
}

/// Four ways an operator's edit goes wrong.
enum Breakage: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case composeRunsUnknownExecutable
    case deploymentReplicasNotANumber
    case composeUnknownTopLevelKey
    case imageShipsDevelopmentTools

    var testDescription: String {
        switch self {
        case .composeRunsUnknownExecutable: "a compose service runs kk-entri, which Package.swift does not build"
        case .deploymentReplicasNotANumber: "a Deployment with replicas: \"three\""
        case .composeUnknownTopLevelKey: "a compose file with the unknown top-level key servics"
        case .imageShipsDevelopmentTools: "a production image that also builds kk-dev (the Graph API sandbox, development keys)"
        }
    }

    var file: String {
        switch self {
        case .composeRunsUnknownExecutable, .composeUnknownTopLevelKey: "docker-compose.yml"
        case .deploymentReplicasNotANumber: "deploy/k8s/kk-entry.yaml"
        case .imageShipsDevelopmentTools: "deploy/Dockerfile"
        }
    }

    /// The broken text, or nil when the file no longer has the part to break.
    func apply(to text: String) -> String? {
        switch self {
        case .composeRunsUnknownExecutable:
            let original = #"command: ["kk-entry", "serve"]"#
            guard text.contains(original) else { return nil }
            return text.replacingOccurrences(of: original, with: #"command: ["kk-entri", "serve"]"#)
        case .deploymentReplicasNotANumber:
            guard let range = text.range(of: #"(?m)^  replicas: \d+$"#, options: .regularExpression) else { return nil }
            return text.replacingCharacters(in: range, with: #"  replicas: "three""#)
        case .composeUnknownTopLevelKey:
            return text + "\nservics:\n  kk-entry:\n    image: kk-whatsapp:dev\n"
        case .imageShipsDevelopmentTools:
            let original = #"kk-deliver kk-archive""#
            guard text.contains(original) else { return nil }
            return text.replacingOccurrences(of: original, with: #"kk-deliver kk-archive kk-dev""#)
        }
    }

    var expectedPhrases: [String] {
        switch self {
        case .composeRunsUnknownExecutable:
            ["docker-compose.yml: services.kk-entry.command", "runs `kk-entri`, which is not an .executable product in Package.swift"]
        case .deploymentReplicasNotANumber:
            ["deploy/k8s/kk-entry.yaml: Deployment/kk-entry", "spec.replicas: 'three' is not of type 'integer'"]
        case .composeUnknownTopLevelKey:
            ["docker-compose.yml: Compose Specification", "unknown key 'servics'"]
        case .imageShipsDevelopmentTools:
            ["deploy/Dockerfile", "the production image builds or copies the development tools kk-dev"]
        }
    }
}

/// Runs deploy/validate/validate_deploy.py with the Python of its virtual
/// environment (installed by `make setup`, path in KK_DEPLOY_VALIDATOR_VENV).
enum DeployValidator {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func python() throws -> URL {
        guard let venv = ProcessInfo.processInfo.environment["KK_DEPLOY_VALIDATOR_VENV"], !venv.isEmpty else {
            throw Missing(description: "KK_DEPLOY_VALIDATOR_VENV is not set: run the tests with `make test`, which installs the deployment validator")
        }
        let python = URL(fileURLWithPath: venv).appendingPathComponent("bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Missing(description: "the deployment validator is not installed in \(venv): run `make test` (or `make setup`)")
        }
        return python
    }

    static func run(root: URL) throws -> (status: Int32, output: String) {
        try ExternalTool.run(
            try python().path, [TestStack.repositoryRoot.appendingPathComponent("deploy/validate/validate_deploy.py").path, "--root", root.path])
    }

    /// Package.swift, docker-compose.yml and deploy/ copied into a fresh temporary folder.
    static func copyOfDeploymentFiles() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("kk-deploy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["Package.swift", "docker-compose.yml", "deploy"] {
            try FileManager.default.copyItem(at: TestStack.repositoryRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }
}
