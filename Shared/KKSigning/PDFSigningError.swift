/// Why a PDF could not be signed or checked; each says what to do next.
public enum PDFSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAPDF
    case unsupportedStructure(String)
    case signatureTooLarge(bytes: Int, reserved: Int)
    case noSignature
    case malformedSignature(String)

    public var description: String {
        switch self {
        case .notAPDF:
            "The file is not a PDF (no %PDF- header or no startxref at its end)."
        case let .unsupportedStructure(detail):
            "The PDF's structure is not one this signer can update incrementally (\(detail)); render it as PDF 1.4 with a classic xref table."
        case let .signatureTooLarge(bytes, reserved):
            "The CMS signature is \(bytes) bytes but only \(reserved) were reserved; raise the reservation (a longer certificate chain needs more)."
        case .noSignature:
            "The PDF carries no signature (/ByteRange and /Contents not found)."
        case let .malformedSignature(detail):
            "The PDF's signature dictionary is malformed: \(detail)."
        }
    }
}
