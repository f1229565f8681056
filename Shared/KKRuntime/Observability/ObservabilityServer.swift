import Foundation
import Hummingbird
import Logging
import Prometheus

/// The operator's endpoints of every service: `/health/live` (the process
/// runs), `/health/ready` (it can do its work: database, broker) and
/// `/metrics` (Prometheus text format).
public enum ObservabilityServer {
    public static func application(
        host: String, port: Int, readiness: Readiness, registry: PrometheusCollectorRegistry, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("health/live") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"live\"}")))
        }
        router.get("health/ready") { _, _ in
            let (ready, parts) = readiness.snapshot
            var object: [String: Any] = ["status": ready ? "ready" : "not ready"]
            object["parts"] = parts.mapValues { ["ready": $0.ready, "detail": $0.detail] as [String: Any] }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "kk-observability"),
            logger: logger)
    }
}
