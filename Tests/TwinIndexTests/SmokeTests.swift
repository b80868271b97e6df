import Testing
import TwinIndex

@Test func moduleLoads() { #expect(!TwinIndexVersion.string.isEmpty) }
