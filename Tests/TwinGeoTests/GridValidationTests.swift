import Testing
@testable import TwinGeo

@Suite struct GridValidationTests {
    typealias F = GridFixture

    @Test func fixtureLayersAreClean() throws {
        for layer in F.allLayers {
            let report = try GridValidator.validate(layer)
            #expect(report.isClean, "\(report)")
        }
        let units = try GridValidator.validate(F.units, parent: F.communities)
        #expect(units.isClean, "\(units)")
        let communities = try GridValidator.validate(F.communities, parent: F.subdistricts)
        #expect(communities.isClean, "\(communities)")
        #expect(units.description == "Layer 单元网格 within 居村: 36 cells, no issues.")
    }

    @Test func reportsAnInvalidBowTieWithAMakeValidSuggestion() throws {
        let bowTie = MultiPolygon([Polygon(exterior: F.ring([(0, 0), (100, 100), (100, 0), (0, 100)]))])
        let layer = GridLayer(name: "警务", kind: .department, cells: [
            GridCell(code: "A", geometry: bowTie),
            GridCell(code: "B", geometry: F.rect(100, 0, 200, 100)),
        ])
        let report = try GridValidator.validate(layer)
        #expect(report.count(.invalidGeometry) == 1)
        let issue = try #require(report.issues.first { $0.kind == .invalidGeometry })
        #expect(issue.cells == ["A"])
        #expect(issue.message.contains("Self-intersection"))
        let location = try #require(issue.location)
        // The two triangles cross at the centre (50 m, 50 m).
        #expect(abs(location.x - F.c(50, 50).x) < 1e-9 && abs(location.y - F.c(50, 50).y) < 1e-9)
        // Make-valid keeps both triangles: 2 × 2,500 m² (the fixture's metre scale is within 0.2 %).
        let kept = try #require(issue.areaM2)
        #expect(abs(kept - 5_000) < 25)
        #expect(issue.suggestion?.contains("make-valid would keep") == true)
        #expect(issue.suggestion?.contains("2 parts") == true)
        #expect(report.hasErrors && !report.isClean)
    }

    @Test func reportsAnOverlapWithItsAreaAndLocation() throws {
        let layer = GridLayer(name: "住建", kind: .department, cells: [
            GridCell(code: "A", geometry: F.rect(0, 0, 110, 100)),
            GridCell(code: "B", geometry: F.rect(100, 0, 200, 100)),
            GridCell(code: "C", geometry: F.rect(200, 0, 300, 100)),  // touches B only
        ])
        let report = try GridValidator.validate(layer)
        #expect(report.counts == [.overlap: 1], "\(report)")
        let issue = report.issues[0]
        #expect(issue.cells == ["A", "B"])
        #expect(abs(try #require(issue.areaM2) - 1_000) < 5)
        let at = try #require(issue.location)
        #expect(at.x > F.c(100, 0).x && at.x < F.c(110, 0).x)
        #expect(issue.description.hasPrefix("error [住建] overlap: cells A and B overlap by"))
    }

    @Test func reportsAGapSurroundedByCells() throws {
        var cells: [GridCell] = []
        for i in 0 ..< 3 {
            for j in 0 ..< 3 where !(i == 1 && j == 1) {
                cells.append(GridCell(code: "C\(i)\(j)", geometry: F.rect(Double(i) * 100, Double(j) * 100,
                                                                          Double(i + 1) * 100, Double(j + 1) * 100)))
            }
        }
        let report = try GridValidator.validate(GridLayer(name: "综治", kind: .department, cells: cells))
        #expect(report.counts == [.gap: 1], "\(report)")
        let gap = report.issues[0]
        #expect(abs(try #require(gap.areaM2) - 10_000) < 50)
        #expect(gap.cells.count == 8)
        let at = try #require(gap.location)
        #expect(at.x > F.c(100, 0).x && at.x < F.c(200, 0).x && at.y > F.c(0, 100).y && at.y < F.c(0, 200).y)
    }

    @Test func reportsDuplicateCodesAndBadFormats() throws {
        var units = F.units
        units.cells[1].code = units.cells[0].code
        units.cells[2].code = "310107001001"        // a 居村 code in a unit layer
        units.cells[3].code = "31010700100100１"     // full-width final digit
        let report = try GridValidator.validate(units)
        #expect(report.count(.duplicateCode) == 1)
        #expect(report.count(.codeFormat) == 2)
        let duplicate = try #require(report.issues.first { $0.kind == .duplicateCode })
        #expect(duplicate.cells == [units.cells[0].code, units.cells[0].code])
        #expect(duplicate.message.contains("#0") && duplicate.message.contains("#1"))
        let formats = report.issues.filter { $0.kind == .codeFormat }.map(\.message)
        #expect(formats[0].contains("12 characters, expected 15"))
        #expect(formats[1].contains("full-width"))
    }

    @Test func reportsHierarchyCrossingsAndPrefixMismatches() throws {
        var units = F.units
        // Block (2, 0) widened 100 m east, into the east 居村 (and over block (3, 0)).
        let crossing = 2 * 6 + 0
        units.cells[crossing].geometry = F.rect(F.lines[2], 0, F.lines[3] + 100, F.lines[1])
        units.cells.remove(at: 3 * 6 + 0)
        // Block (0, 5) recoded with the east 居村's prefix.
        let mismatch = units.cells.firstIndex { $0.code == F.unitCode(0, 5) }!
        units.cells[mismatch].code = "310107101202009"
        let report = try GridValidator.validate(units, parent: F.communities)
        #expect(report.count(.crossesBoundary) == 1, "\(report)")
        #expect(report.count(.codePrefixMismatch) == 1)
        let cross = try #require(report.issues.first { $0.kind == .crossesBoundary })
        #expect(cross.cells == [F.unitCode(2, 0), "310107001001", "310107101201"])
        #expect(abs(try #require(cross.areaM2) - 100 * 1000 / 6) < 50)
        #expect(cross.message.contains("crosses the boundary of its 居村 cell 310107001001"))
        let at = try #require(cross.location)
        #expect(at.x > F.c(500, 0).x && at.x < F.c(600, 0).x)
        let prefix = try #require(report.issues.first { $0.kind == .codePrefixMismatch })
        #expect(prefix.cells == ["310107101202009", "310107001002"])
        #expect(prefix.suggestion?.contains("310107001002") == true)
    }

    @Test func reportsACellOutsideItsParentLayer() throws {
        var units = F.units
        units.cells.append(GridCell(code: "310107101202099", geometry: F.rect(1100, 0, 1200, 100)))
        let report = try GridValidator.validate(units, parent: F.communities)
        #expect(report.counts == [.outsideParent: 1])
    }

    @Test func rendersOneLinePerIssueAndJSON() throws {
        var layer = F.police
        layer.cells[1].geometry = F.rect(F.lines[2] - 5, 0, F.lines[4], 1000)  // overlaps P1 by 6 m × 1000 m
        layer.cells[2].code = "P1"
        let report = try GridValidator.validate(layer)
        let lines = report.description.split(separator: "\n")
        #expect(lines.count == report.issues.count + 1)
        #expect(lines[0] == "Layer 警务: 3 cells, 2 issues (1 overlap, 1 duplicate code).")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("error [警务] ") && $0.contains("Fix: ") })

        var parser = JSONStreamParser(bytes: Array(report.jsonText.utf8), name: "report.json")
        guard case .object(let json) = try parser.parseValue() else { Issue.record("not an object"); return }
        #expect(json["layer"] == .string("警务"))
        #expect(json["clean"] == .bool(false))
        #expect(json["counts"]?.objectValue?["overlap"]?.doubleValue == 1)
        let issues = try #require(json["issues"]?.arrayValue)
        #expect(issues.count == 2)
        let first = try #require(issues[0].objectValue)
        #expect(first["kind"] == .string("overlap"))
        #expect(first["cells"] == .array([.string("P1"), .string("P2")]))
        #expect(first["location"]?.arrayValue?.count == 2)
        #expect((first["areaM2"]?.doubleValue ?? 0) > 5_000)
    }
}
