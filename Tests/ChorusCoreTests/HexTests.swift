import ChorusCore
import Testing

@Suite struct HexTests {
    @Test func everyByteIsTwoLowercaseDigits() {
        #expect([UInt8]().hexDigits == "")
        #expect([0x00, 0x0F, 0xA5, 0xFF].hexDigits == "000fa5ff")
        #expect((0...255).map { UInt8($0) }.hexDigits.count == 512)
    }
}
