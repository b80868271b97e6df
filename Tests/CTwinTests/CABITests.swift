#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TwinGeo
@testable import CTwin

/// The C entry points called from Swift: argument checks, the buffer protocol, per-thread
/// messages and error mapping. The C tests (tests/c, scripts/test-c) cover the same contracts
/// through the header and the built libtwin, on a real twin.

@Test func statusStringsNameEveryCodeAndUnknownOnes() {
    #expect(String(cString: twinStatusString(0)) == "ok")
    var seen = Set<String>()
    for code in TwinErrorCode.allCases {
        let text = String(cString: twinStatusString(code.rawValue))
        #expect(text != "unknown status" && !text.isEmpty)
        seen.insert(text)
    }
    #expect(seen.count == TwinErrorCode.allCases.count)
    #expect(String(cString: twinStatusString(8)) == "unknown status")
    #expect(String(cString: twinStatusString(-3)) == "unknown status")
}

@Test func openRefusesNullMissingAndForeignFiles() throws {
    var handle: OpaquePointer? = OpaquePointer(bitPattern: 0x1234)
    #expect(twinOpen(nil, &handle) == TwinErrorCode.argument.rawValue)
    #expect(handle == nil)
    #expect(String(cString: twinErrmsg(nil)).contains("path"))

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctwin-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }

    let missing = dir.appendingPathComponent("missing.gpkg").path
    handle = OpaquePointer(bitPattern: 0x1234)
    #expect(twinOpen(missing, &handle) == TwinErrorCode.io.rawValue)
    #expect(handle == nil)
    #expect(String(cString: twinErrmsg(nil)).contains("missing.gpkg"))
    #expect(!FileManager.default.fileExists(atPath: missing))

    let text = dir.appendingPathComponent("notes.gpkg").path
    try "not a database, just text\n".write(toFile: text, atomically: true, encoding: .utf8)
    #expect(twinOpen(text, &handle) == TwinErrorCode.format.rawValue)
    #expect(handle == nil)
    #expect(String(cString: twinErrmsg(nil)).hasPrefix("twin_open: "))
    #expect(twinOpen(text, nil) == TwinErrorCode.argument.rawValue)
    twinClose(nil)  // a no-op
}

@Test func nullHandlesAreArgumentErrors() {
    var count: UInt = 7
    var cells = [Int32](repeating: 0, count: 4)
    #expect(twinLayerCount(nil, &count) == TwinErrorCode.argument.rawValue)
    #expect(count == 7)
    #expect(twinCellCount(nil, 0, &count) == TwinErrorCode.argument.rawValue)
    #expect(twinLayerName(nil, 0, nil, 0, nil) == TwinErrorCode.argument.rawValue)
    #expect(twinCellCode(nil, 0, 0, nil, 0, nil) == TwinErrorCode.argument.rawValue)
    #expect(twinCellName(nil, 0, 0, nil, 0, nil) == TwinErrorCode.argument.rawValue)
    #expect(twinLocate(nil, 121.4, 31.2, nil, &cells, 4) == TwinErrorCode.argument.rawValue)
    #expect(twinLocateBatch(nil, nil, nil, 0, nil, nil, 0) == TwinErrorCode.argument.rawValue)
    #expect(String(cString: twinErrmsg(nil)).contains("twin handle is NULL"))
}

@Test func bufferProtocolSizesCopiesAndRefuses() throws {
    var needed: UInt = 0
    // Sizing call: n = 0, buf NULL.
    #expect(throws: TwinQueryError.self) { try CBuffer.write("普陀", to: nil, size: 0, needed: &needed, what: "x") }
    #expect(needed == 7)  // 6 UTF-8 bytes + NUL
    var buf = [CChar](repeating: 65, count: 16)
    #expect(try CBuffer.write("普陀", to: &buf, size: 7, needed: &needed, what: "x") == 0)
    #expect(String(decoding: buf.prefix(6).map { UInt8(bitPattern: $0) }, as: UTF8.self) == "普陀" && buf[6] == 0)
    buf = [CChar](repeating: 65, count: 16)
    do {
        _ = try CBuffer.write("普陀", to: &buf, size: 6, needed: nil, what: "x")
        Issue.record("a 6-byte buffer took 7 bytes")
    } catch let error as TwinQueryError {
        #expect(error.code == .buffer)
        #expect(buf[0] == 0 && buf[1] == 65)
    }
    do {
        _ = try CBuffer.write("a", to: nil, size: 4, needed: nil, what: "x")
        Issue.record("NULL buf with n > 0 accepted")
    } catch let error as TwinQueryError {
        #expect(error.code == .argument)
    }
    #expect(try CBuffer.write("", to: &buf, size: 1, needed: &needed, what: "x") == 0)
    #expect(needed == 1 && buf[0] == 0)
}

@Test func transformChecksNamesCountsAndValues() {
    var x = [121.4, 121.5], y = [31.2, 31.3]
    #expect(twinTransform("wgs84", "gcj02", &x, &y, 2) == 0)
    #expect(x[0] > 121.4 && x[0] < 121.41)
    #expect(twinTransform("gcj02", "wgs84", &x, &y, 2) == 0)
    #expect(abs(x[0] - 121.4) < 1e-9 && abs(y[1] - 31.3) < 1e-9)
    #expect(twinTransform(nil, "wgs84", &x, &y, 2) == TwinErrorCode.argument.rawValue)
    #expect(twinTransform("wgs84", "atlantis", &x, &y, 2) == TwinErrorCode.crs.rawValue)
    #expect(String(cString: twinErrmsg(nil)).contains("atlantis"))
    #expect(twinTransform("wgs84", "gcj02", nil, nil, 0) == 0)
    #expect(twinTransform("wgs84", "gcj02", nil, &y, 2) == TwinErrorCode.argument.rawValue)
    y[1] = .nan
    let before = x
    #expect(twinTransform("wgs84", "gcj02", &x, &y, 2) == TwinErrorCode.crs.rawValue)
    #expect(x == before)
}

@Test func messagesStayWithTheirThread() {
    // A synchronous test stays on one thread, so "this thread's message" is well defined.
    #expect(twinTransform("wgs84", "main-thread-crs", nil, nil, 0) == TwinErrorCode.crs.rawValue)
    let other = Thread.detachNewThreadAndWait { () -> [String] in
        // A fresh thread has no message until it fails itself; then it sees only its own.
        let before = String(cString: twinErrmsg(nil))
        _ = twinTransform("other-thread-crs", "wgs84", nil, nil, 0)
        return [before, String(cString: twinErrmsg(nil))]
    }
    #expect(other[0].isEmpty)
    #expect(other[1].contains("other-thread-crs"))
    #expect(String(cString: twinErrmsg(nil)).contains("main-thread-crs"))
}

/// The result slot of a thread the test starts itself.
private final class ThreadResult: @unchecked Sendable {
    var value: [String] = []
    let done = DispatchSemaphore(value: 0)
}

extension Thread {
    /// Runs `body` on a new thread and returns its result (the test needs a thread it owns).
    static func detachNewThreadAndWait(_ body: @escaping @Sendable () -> [String]) -> [String] {
        let result = ThreadResult()
        Thread.detachNewThread {
            result.value = body()
            result.done.signal()
        }
        result.done.wait()
        return result.value
    }
}
