import Foundation
import Hummingbird
import KKHealth
import Logging
import Prometheus

/// The operator's endpoints of every service: `/health/live` (the process
/// runs and no part is stuck, `Liveness`), `/health/ready` (it can do its work:
/// database, broker) and `/metrics` (Prometheus text format).
public enum ObservabilityServer {
    public static func application(
        host: String, port: Int, readiness: Readiness, liveness: Liveness = Liveness(), registry: PrometheusCollectorRegistry, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("health/live") { _, _ in
            let stalled = liveness.stalled()
            var object: [String: Any] = ["status": stalled.isEmpty ? "live" : "stuck"]
            if !stalled.isEmpty {
                object["stuck"] = stalled.mapValues { "inside one unit of work for \(Int($0.components.seconds)) s" }
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(
                status: stalled.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
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
