import Foundation

/// Describes a URL or conninfo for messages without its password.
public enum ConnectionString {
    public static func describe(_ url: String) -> String {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), var components = URLComponents(string: url) {
            if components.password != nil { components.password = "***" }
            let host = components.host ?? "localhost"
            let port = components.port.map(String.init) ?? "5432"
            let db = components.path.dropFirst()
            return "\(host):\(port)\(db.isEmpty ? "" : "/\(db)")"
        }
        // key=value conninfo: keep host, port and dbname only.
        var parts: [String: String] = [:]
        for pair in url.split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { parts[String(kv[0])] = String(kv[1]) }
        }
        return "\(parts["host"] ?? "localhost"):\(parts["port"] ?? "5432")\(parts["dbname"].map { "/\($0)" } ?? "")"
    }
}
