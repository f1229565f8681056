import Crypto
import Hex
import Testing

@Suite("The one hex encoder")
struct HexTests {
    @Test("lower-case, two digits per byte, leading zeros kept: SHA-256 of \"abc\" as FIPS 180-2 gives it")
    func knownDigest() {
        #expect(SHA256.hash(data: Array("abc".utf8)).hexEncoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect([0x00, 0x0f, 0xf0, 0xff].hexEncoded == "000ff0ff")
        #expect([UInt8]().hexEncoded.isEmpty)
    }
}
