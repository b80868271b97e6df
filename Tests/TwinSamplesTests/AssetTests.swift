import Testing
import TwinGeo
@testable import TwinSamples

private func isComponentCode(_ s: String) -> Bool {
    guard s.utf8.count == 16, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), s.hasPrefix("310107") else { return false }
    let major = Int(s.dropFirst(6).prefix(2))!
    return (1...6).contains(major)
}

@Suite struct AssetTests {
    @Test func countsAndCodes() throws {
        let d = try Samples.district()
        let c = d.configuration
        #expect(d.buildings.count == c.buildingCount)
        #expect(d.cameras.count == c.cameraCount)
        #expect(d.sensors.count == c.sensorCount)
        #expect(Set(d.pipes.map(\.network)) == Set(PipeNetwork.allCases))
        for code in d.buildings.map(\.code) + d.pipes.map(\.code) + d.cameras.map(\.code) + d.sensors.compactMap(\.code) {
            #expect(isComponentCode(code), "\(code)")
        }
        let codes = d.buildings.map(\.code) + d.pipes.map(\.code) + d.cameras.map(\.code) + d.sensors.compactMap(\.code)
        #expect(Set(codes).count == codes.count, "component codes are unique")
        #expect(d.sensors.contains { $0.code == nil } && d.sensors.contains { $0.code != nil })
    }

    @Test func buildingsStandInsideTheirUnitCellWithoutOverlapping() throws {
        let d = try Samples.district()
        let unitByCode = Dictionary(uniqueKeysWithValues: d.unitCells.map { ($0.code, $0) })
        var byUnit: [String: [Geometry]] = [:]
        for b in d.buildings {
            let cell = try #require(unitByCode[b.unitCode])
            let footprint = Geometry.polygon(b.footprint)
            #expect(b.footprint.exterior.count == 5)
            #expect(try cell.geometry.contains(footprint), "\(b.id) not inside \(b.unitCode)")
            #expect(b.address.hasPrefix(b.road) && b.address.contains("弄") && b.address.contains("号"))
            #expect(b.floors >= 1 && b.height > Double(b.floors) * 3)
            byUnit[b.unitCode, default: []].append(footprint)
        }
        for (unit, footprints) in byUnit {
            for i in footprints.indices { for j in (i + 1)..<footprints.count {
                #expect(try !footprints[i].intersects(footprints[j]), "buildings overlap in \(unit)")
            } }
        }
    }

    @Test func pipesCamerasAndSensorsAreWellFormed() throws {
        let d = try Samples.district()
        let box = d.outline.boundingBox!
        let grown = BoundingBox(minX: box.minX - 0.001, minY: box.minY - 0.001, maxX: box.maxX + 0.001, maxY: box.maxY + 0.001)
        for pipe in d.pipes {
            #expect(pipe.path.coordinates.count >= 2)
            #expect(pipe.path.coordinates.allSatisfy(grown.contains))
            let measured = try Geometry.lineString(pipe.path).lengthMetres()
            #expect(abs(measured - pipe.lengthMetres) <= 0.005 * measured + 0.1, "\(pipe.id): \(measured) vs \(pipe.lengthMetres)")
        }
        for c in d.cameras {
            #expect(c.heading >= 0 && c.heading < 360)
            #expect(c.fieldOfView == 360 || (40...100).contains(c.fieldOfView))
            #expect((30...150).contains(c.rangeMetres))
            #expect(!c.scenes.isEmpty && ["在线", "离线", "故障"].contains(c.status))
            #expect(grown.contains(c.location))
        }
        for s in d.sensors {
            #expect(grown.contains(s.location))
            #expect(s.lastReading.hasPrefix("2025-12") || s.lastReading.hasPrefix("2025-11"))
        }
        #expect(Set(d.sensors.map(\.type)) == Set(SensorType.allCases))
    }

    @Test func writtenLayersReadBackAsTheyAreInMemory() throws {
        let d = try Samples.district()
        let dir = try Samples.written()
        for layer in d.layers {
            let reader = try GeoJSONFeatureReader(path: dir + "/layers/\(layer.name).geojson")
            var k = 0
            while let feature = try reader.next() {
                let cell = layer.cells[k]
                #expect(feature.geometry == cell.geometry, "\(layer.name) \(cell.code)")
                #expect(feature.properties["code"]?.stringValue == cell.code)
                #expect(feature.properties["name"]?.stringValue == cell.name)
                if case .hierarchy = layer.kind {
                    #expect(feature.properties["parent_code"]?.stringValue == (cell.parentCode ?? "310107"))
                }
                k += 1
            }
            #expect(k == layer.cells.count)
        }
        let sensors = CSVRecords(try Samples.bytes(dir + "/assets/sensors.csv"))
        #expect(sensors.records.count == d.sensors.count + 1)
        let cameras = CSVRecords(try Samples.bytes(dir + "/assets/cameras.csv"))
        #expect(cameras.records.count == d.cameras.count + 1)
        #expect(cameras.records.dropFirst().allSatisfy { $0.fields.count == 10 })
    }
}
