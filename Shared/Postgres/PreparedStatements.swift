import CLibPQ

/// The statements a connection has prepared, by their SQL and parameter types,
/// so a statement the services run again and again is parsed and planned once
/// per connection instead of at every call. At most `capacity`: the least
/// recently used one makes room (its name is returned, to be deallocated).
struct PreparedStatements {
    struct Key: Hashable {
        let sql: String
        let types: [Oid]
    }

    private var names: [Key: (name: String, used: UInt64)] = [:]
    private var tick: UInt64 = 0
    private var made = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { names.count }

    /// The name `key` was prepared under, marking it used.
    mutating func name(of key: Key) -> String? {
        guard let entry = names[key] else { return nil }
        tick += 1
        names[key] = (entry.name, tick)
        return entry.name
    }

    /// A fresh name for `key`, and the name of a statement to deallocate when the cache was full.
    mutating func add(_ key: Key) -> (name: String, evicted: String?) {
        var evicted: String?
        if names.count >= capacity, let oldest = names.min(by: { $0.value.used < $1.value.used }) {
            names[oldest.key] = nil
            evicted = oldest.value.name
        }
        made += 1
        tick += 1
        let name = "kk_\(made)"
        names[key] = (name, tick)
        return (name, evicted)
    }

    /// Forgets `key` (its plan no longer fits the table it reads).
    mutating func forget(_ key: Key) {
        names[key] = nil
    }
}
