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

    /// `url` naming the client (`application_name`) unless it already does, so
    /// pg_stat_activity and the server's log say which service a session is.
    public static func naming(_ url: String, application: String) -> String {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), var components = URLComponents(string: url) {
            var items = components.queryItems ?? []
            guard !items.contains(where: { $0.name == "application_name" }) else { return url }
            items.append(URLQueryItem(name: "application_name", value: application))
            components.queryItems = items
            return components.string ?? url
        }
        return url.contains("application_name=") ? url : url + " application_name=\(application)"
    }
}
