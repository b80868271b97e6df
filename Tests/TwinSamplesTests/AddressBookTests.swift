import Foundation
import Testing
import TwinGeo
@testable import TwinSamples

/// The sample address book: one door-plate per building, unique names, files in the agreed
/// formats, and event addresses whose ground truth is a real place of the book.
@Suite struct AddressBookTests {
    static func book() throws -> AddressBook { try Samples.district().addressBook }

    /// All lattice-vertex coordinates of a road's centreline.
    static func vertices(_ road: SampleRoad) -> Set<Coordinate> { Set(road.parts.flatMap(\.coordinates)) }

    @Test func generationIsDeterministicAndSeeded() throws {
        let a = try SampleDistrict.generate(seed: 7, scale: 0.02).addressBook
        let b = try SampleDistrict.generate(seed: 7, scale: 0.02).addressBook
        let c = try SampleDistrict.generate(seed: 8, scale: 0.02).addressBook
        #expect(a == b)
        #expect(a.eventAddresses != c.eventAddresses)
        #expect(a.doorplates.map(\.entrance) != c.doorplates.map(\.entrance))
    }

    @Test func everyBuildingHasItsOwnDoorplateAtItsRoadSide() throws {
        let d = try Samples.district()
        let book = d.addressBook
        #expect(book.doorplates.count == d.buildings.count)
        var keys = Set<String>()
        for (building, plate) in zip(d.buildings, book.doorplates) {
            #expect(plate.buildingID == building.id)
            #expect(plate.road == building.road && plate.lane == building.lane && plate.number == building.number)
            #expect(keys.insert("\(plate.road)#\(plate.lane!)#\(plate.number)").inserted, "duplicate plate \(plate.text)")
            #expect(!plate.town.isEmpty)
            // The entrance is on the footprint's outline (to rounding), on the side facing the road.
            let ring = building.footprint.exterior.map { d.frame.metres($0) }
            let e = d.frame.metres(plate.entrance)
            var onOutline = Double.infinity
            for k in 1..<ring.count {
                let q = AddressBookGenerator.nearestOnSegment(e.x, e.y, ring[k - 1].x, ring[k - 1].y, ring[k].x, ring[k].y)
                onOutline = min(onOutline, ((q.x - e.x) * (q.x - e.x) + (q.y - e.y) * (q.y - e.y)).squareRoot())
            }
            #expect(onOutline < 0.01, "\(plate.id) entrance \(onOutline) m off its building")
        }
        #expect(book.doorplates.contains { $0.subLane != nil })
        #expect(book.doorplates.contains { $0.community != nil })
        let towns = Set(d.layer(.jiezhen).cells.map(\.name))
        #expect(Set(book.doorplates.map(\.town)).isSubset(of: towns))
    }

    @Test func namesAreUniqueAndAliasesPointAtRealNames() throws {
        let d = try Samples.district()
        let book = d.addressBook
        #expect(Set(book.roads.map(\.name)).count == book.roads.count)
        #expect(Set(book.roads.map(\.id)).count == book.roads.count)
        #expect(Set(book.communities.map(\.name)).count == book.communities.count)
        #expect(Set(book.pointsOfInterest.map(\.name)).count == book.pointsOfInterest.count)
        #expect(Set(d.buildings.map(\.road)).isSubset(of: Set(book.roads.map(\.name))))
        let canonical: [AddressAlias.Kind: Set<String>] = [
            .road: Set(book.roads.map(\.name)), .community: Set(book.communities.map(\.name)),
            .town: Set(d.layer(.jiezhen).cells.map(\.name)),
        ]
        let allCanonical = canonical.values.reduce(Set<String>()) { $0.union($1) }
        #expect(Set(book.aliases.map(\.alias)).count == book.aliases.count)
        for a in book.aliases {
            #expect(canonical[a.kind]!.contains(a.canonical), "\(a.alias) → \(a.canonical) (\(a.kind))")
            #expect(!allCanonical.contains(a.alias), "alias \(a.alias) is itself a canonical name")
        }
        for kind in AddressAlias.Kind.allCases { #expect(book.aliases.contains { $0.kind == kind }, "no \(kind) alias") }
        for c in book.communities { for a in c.aliases { #expect(book.aliases.contains(AddressAlias(alias: a, canonical: c.name, kind: .community))) } }
        for kind in PointOfInterest.Kind.allCases where kind != .metro {
            #expect(book.pointsOfInterest.contains { $0.kind == kind }, "no \(kind)")
        }
    }

    @Test func roadMidpointsLieOnTheirCentrelines() throws {
        let d = try Samples.district()
        for road in d.addressBook.roads {
            var best = Double.infinity
            for part in road.parts {
                let m = part.coordinates.map { d.frame.metres($0) }
                let p = d.frame.metres(road.midpoint)
                for k in 1..<m.count {
                    let q = AddressBookGenerator.nearestOnSegment(p.x, p.y, m[k - 1].x, m[k - 1].y, m[k].x, m[k].y)
                    best = min(best, ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot())
                }
            }
            #expect(best < 0.01, "\(road.name): midpoint \(best) m off the centreline")
            #expect(road.lengthMetres > 50)
        }
    }

    @Test func eventAddressTruthIsAPlaceOfTheBook() throws {
        let d = try Samples.district()
        let book = d.addressBook
        #expect(book.eventAddresses.count == d.configuration.eventAddressCount)
        #expect(book.eventAddresses.count == 20_000)
        #expect(Set(book.eventAddresses.map(\.id)).count == book.eventAddresses.count)
        let entrances = Set(book.doorplates.map(\.entrance))
        let communityPoints = Set(book.communities.map(\.centroid)).union(book.pointsOfInterest.filter { $0.kind == .entrance }.map(\.location))
        let midpoints = Set(book.roads.map(\.midpoint))
        let towns = Set(d.layer(.jiezhen).cells.map(\.representativePoint))
        let roadVertices = book.roads.map(Self.vertices)
        var styles: [AddressStyle: Int] = [:], levels: [AddressTruthLevel: Int] = [:]
        for e in book.eventAddresses {
            styles[e.style, default: 0] += 1
            levels[e.truthLevel, default: 0] += 1
            #expect(!e.address.isEmpty)
            #expect((e.truth == nil) == (e.truthLevel == .none), "\(e.id)")
            guard let t = e.truth else {
                #expect(e.style == .nonexistent)
                continue
            }
            switch e.truthLevel {
            case .doorplate: #expect(entrances.contains(t), "\(e.id) \(e.address)")
            case .community: #expect(communityPoints.contains(t), "\(e.id) \(e.address)")
            case .road: #expect(midpoints.contains(t), "\(e.id) \(e.address)")
            case .town: #expect(towns.contains(t), "\(e.id) \(e.address)")
            case .intersection: #expect(roadVertices.filter { $0.contains(t) }.count >= 2, "\(e.id) \(e.address)")
            case .lane:
                let road = try #require(book.roads.first { e.address.hasPrefix($0.name) }, "\(e.address)")
                let lane = Int(e.address.dropFirst(road.name.count).prefix { $0.isASCII && $0.isNumber })
                let plates = book.doorplates.filter { $0.road == road.name && $0.lane == lane }
                #expect(!plates.isEmpty, "\(e.address)")
                let mean = Coordinate(plates.map(\.entrance.x).reduce(0, +) / Double(plates.count),
                                      plates.map(\.entrance.y).reduce(0, +) / Double(plates.count))
                #expect(d.frame.distance(mean, t) < 0.01, "\(e.address)")
            case .none: break
            }
        }
        for style in AddressStyle.allCases { #expect((styles[style] ?? 0) > 300, "style \(style): \(styles[style] ?? 0)") }
        for level in AddressTruthLevel.allCases { #expect((levels[level] ?? 0) > 20, "level \(level): \(levels[level] ?? 0)") }
    }

    @Test func stylesAreWrittenTheWayTheyAreNamed() throws {
        let book = try Self.book()
        let roads = Set(book.roads.map(\.name))
        let aliases = Dictionary(book.aliases.map { ($0.alias, $0) }, uniquingKeysWith: { a, _ in a })
        func isFullWidthDigit(_ c: Unicode.Scalar) -> Bool { (0xFF10...0xFF19).contains(c.value) }
        for e in book.eventAddresses {
            let scalars = e.address.unicodeScalars
            switch e.style {
            case .fullwidth:
                #expect(scalars.contains(where: isFullWidthDigit) && !scalars.contains { $0.properties.numericType != nil && $0.isASCII })
            case .chineseNumerals:
                #expect(!scalars.contains { $0.isASCII && $0.properties.numericType != nil }, "\(e.address)")
            case .clean:
                #expect(roads.contains { e.address.hasPrefix($0) }, "\(e.address)")
            case .typo:
                let typo = aliases.keys.first { e.address.hasPrefix($0) && aliases[$0]!.kind == .road }
                #expect(typo != nil && !roads.contains { e.address.hasPrefix($0) }, "\(e.address)")
            case .nonexistent:
                let plate = book.doorplates.first { e.address.hasPrefix($0.road + "\($0.lane!)弄") }
                #expect(plate == nil, "\(e.address) names a real lane")
            case .intersection:
                #expect(roads.filter { e.address.contains($0) }.count >= 2, "\(e.address)")
            default: break
            }
        }
    }

    @Test func filesParseInTheAgreedFormats() throws {
        let d = try Samples.district()
        let book = d.addressBook
        let dir = try Samples.written()

        let roads = try GeoJSONFeatureReader(path: dir + "/addresses/roads.geojson")
        var k = 0
        while let f = try roads.next() {
            let road = book.roads[k]
            #expect(f.properties["road_id"]?.stringValue == road.id && f.properties["name"]?.stringValue == road.name)
            switch f.geometry {
            case .lineString(let l): #expect(road.parts == [l])
            case .multiLineString(let m): #expect(road.parts == m.lineStrings && m.lineStrings.count > 1)
            default: Issue.record("road \(road.id) is not linear")
            }
            k += 1
        }
        #expect(k == book.roads.count)

        let communities = try GeoJSONFeatureReader(path: dir + "/addresses/communities.geojson")
        k = 0
        while let f = try communities.next() {
            let c = book.communities[k]
            #expect(f.geometry == .polygon(c.polygon))
            #expect(f.properties["name"]?.stringValue == c.name && f.properties["town"]?.stringValue == c.town)
            #expect(f.properties["aliases"]?.stringValue == c.aliases.joined(separator: "|"))
            k += 1
        }
        #expect(k == book.communities.count)

        func table(_ name: String, _ columns: [String]) throws -> [[String]] {
            let records = CSVRecords(try Samples.bytes(dir + "/" + name)).records
            #expect(records.first?.fields == columns, "\(name) header")
            for r in records { #expect(r.fields.count == columns.count, "\(name) line \(r.line)") }
            return records.dropFirst().map(\.fields)
        }
        let plates = try table("addresses/doorplates.csv", SampleDistrict.doorplateColumns)
        #expect(plates.count == book.doorplates.count)
        for (row, plate) in zip(plates, book.doorplates) {
            #expect(row[0] == plate.id && row[1] == plate.road && Int(row[2]) == plate.lane && Int(row[4]) == plate.number)
            #expect(row[3] == (plate.subLane.map(String.init) ?? "") && row[5] == plate.buildingID)
            #expect(row[4].allSatisfy { $0.isASCII && $0.isNumber })
            #expect(Double(row[8]) == plate.entrance.x && Double(row[9]) == plate.entrance.y)
        }
        let pois = try table("addresses/pois.csv", SampleDistrict.poiColumns)
        #expect(pois.map { $0[0] } == book.pointsOfInterest.map(\.name))
        #expect(pois.allSatisfy { PointOfInterest.Kind(rawValue: $0[1]) != nil })
        let aliases = try table("addresses/aliases.csv", SampleDistrict.aliasColumns)
        #expect(aliases.map { AddressAlias(alias: $0[0], canonical: $0[1], kind: AddressAlias.Kind(rawValue: $0[2])!) } == book.aliases)
        let events = try table("events/event_addresses.csv", SampleDistrict.eventAddressColumns)
        #expect(events.count == book.eventAddresses.count)
        for (row, e) in zip(events, book.eventAddresses) {
            #expect(row[0] == e.id && row[1] == e.address && AddressStyle(rawValue: row[2]) == e.style)
            #expect(AddressTruthLevel(rawValue: row[3]) == e.truthLevel)
            #expect(e.truth.map { [Double(row[4]), Double(row[5])] == [$0.x, $0.y] } ?? (row[4].isEmpty && row[5].isEmpty))
        }
    }

    @Test func chineseNumeralsAreWrittenAsPeopleWriteThem() {
        let cases: [(Int, String)] = [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"), (100, "一百"), (108, "一百零八"),
                                      (110, "一百一十"), (588, "五百八十八"), (1005, "一千零五"), (1010, "一千零一十"), (2300, "二千三百")]
        for (n, text) in cases { #expect(AddressText.chinese(n) == text, "\(n)") }
        #expect(AddressText.chinese(200, liang: true) == "两百")
        #expect(AddressText.chinese(2300, liang: true) == "两千三百")
        #expect(AddressText.chineseDigits(108) == "一〇八")
        #expect(AddressText.fullWidth("588弄12号 A") == "５８８弄１２号\u{3000}Ａ")
        #expect(AddressText.fullWidth("12A", lettersToo: false) == "１２A")
        #expect(AddressText.typo(of: "长寿路") == "常寿路")
        #expect(AddressText.shortTown("长寿路街道") == "长寿街道" && AddressText.shortTown("曹杨新村街道") == "曹杨街道")
        #expect(AddressText.shortTown("真如镇街道") == "真如镇" && AddressText.shortTown("桃浦镇") == "桃浦")
    }
}
