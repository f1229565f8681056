/// A PostgreSQL array literal of integers (`{1,2,3}`), bound as one text
/// parameter and cast in SQL (`$1::bigint[]`). Only numbers, so nothing to escape.
public func SQLArrayLiteral<T: BinaryInteger>(_ values: [T]) -> String {
    "{" + values.map { String($0) }.joined(separator: ",") + "}"
}
