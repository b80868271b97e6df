import Testing
import TwinGeo

@Suite struct CellCodeTests {
    @Test func parsesEachKindAndWritesItBack() throws {
        let s = try SubdistrictCode("310107001")
        #expect(s.district == "310107" && s.number == 1 && !s.isTown && s.description == "310107001")
        #expect(try SubdistrictCode("310112101").isTown)

        let c = try CommunityCode("310107001201")
        #expect(c.subdistrict == s && c.committee == 201 && c.isVillage && c.description == "310107001201")
        #expect(try !CommunityCode("310107001199").isVillage)

        let u = try UnitGridCode("310107001201007")
        #expect(u.community == c && u.sequence == 7 && u.description == "310107001201007")
        #expect(try UnitGridCode(community: c, sequence: 42).description == "310107001201042")

        let p = try ComponentCode("3101070102000123")
        #expect(p.district == "310107" && p.majorClass == .publicUtilities && p.minorClass == 2 && p.serial == 123)
        #expect(p.description == "3101070102000123" && p.majorClass.chineseName == "公用设施")
        #expect(ComponentClass.allCases.map(\.rawValue) == [1, 2, 3, 4, 5, 6])
    }

    @Test func refusesWrongLengths() {
        #expect(throws: CodeError(text: "31010700", expectedKind: "街镇 code (9 digits)", reason: .length(expected: 9, found: 8))) {
            try SubdistrictCode("31010700")
        }
        #expect(throws: CodeError.self) { try CommunityCode("3101070012010") }
        #expect(throws: CodeError.self) { try UnitGridCode("31010700120100") }
        #expect(throws: CodeError.self) { try ComponentCode("") }
    }

    @Test func refusesNonDigitsIncludingFullWidthDigits() {
        do {
            _ = try CommunityCode("31010700120A")
            Issue.record("accepted a letter")
        } catch {
            #expect(error.reason == .nonDigit(position: 12, character: "A"))
        }
        do {
            _ = try SubdistrictCode("31010700１")  // full-width １ (U+FF11)
            Issue.record("accepted a full-width digit")
        } catch {
            #expect(error.reason == .nonDigit(position: 9, character: "１"))
            #expect(error.message.contains("full-width"))
            #expect(error.message.contains("U+FF11"))
        }
        #expect(throws: CodeError.self) { try SubdistrictCode("310107 01") }
    }

    /// Each part out of range is named.
    @Test(arguments: [
        ("000107001", CodeError.Part.district, "subdistrict"),
        ("310100001", .district, "subdistrict"),
        ("310107000", .subdistrict, "subdistrict"),
        ("310107200", .subdistrict, "subdistrict"),
        ("310107001000", .committee, "community"),
        ("310107001400", .committee, "community"),
        ("310107001001000", .sequence, "unit"),
        ("3101070701000001", .majorClass, "component"),
        ("3101070000000001", .majorClass, "component"),
        ("3101070100000001", .minorClass, "component"),
        ("3101070101000000", .serial, "component"),
    ])
    func namesTheOutOfRangePart(code: String, part: CodeError.Part, kind: String) {
        do {
            switch kind {
            case "subdistrict": _ = try SubdistrictCode(code)
            case "community": _ = try CommunityCode(code)
            case "unit": _ = try UnitGridCode(code)
            default: _ = try ComponentCode(code)
            }
            Issue.record("accepted \(code)")
        } catch {
            guard case .outOfRange(let found, _, _) = error.reason else {
                Issue.record("wrong reason \(error.reason)")
                return
            }
            #expect(found == part)
            #expect(error.message.contains("out of range"))
            #expect(error.code == .format)
        }
    }

    @Test func validatesByLayerKind() throws {
        try CellCode.validate("310107001", for: .subdistrict)
        try CellCode.validate("310107001001", for: .community)
        try CellCode.validate("310107001001001", for: .unitGrid)
        try CellCode.validate("派出所-3", for: .department)
        #expect(throws: CodeError.self) { try CellCode.validate("310107001", for: .unitGrid) }
        #expect(throws: CodeError.self) { try CellCode.validate("310107001001001", for: .community) }
        #expect(throws: CodeError.self) { try CellCode.validate("", for: .department) }
        #expect(throws: CodeError.self) {
            try UnitGridCode(community: CommunityCode("310107001001"), sequence: 1000)
        }
        #expect(GridLayerKind.unitGrid.parentKind == .community)
        #expect(GridLayerKind.community.parentKind == .managementArea)
        #expect(GridLayerKind.managementArea.parentKind == .subdistrict)
        #expect(GridLayerKind.subdistrict.parentKind == nil && GridLayerKind.department.parentKind == nil)
    }
}
