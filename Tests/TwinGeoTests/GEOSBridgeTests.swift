import Foundation
import Testing
@testable import TwinGeo

/// The GEOS bridge: conversion both ways, validity and repair, overlays, predicates, and
/// errors for input GEOS cannot take.
@Suite struct GEOSBridgeTests {
    static func square(_ x: Double, _ y: Double, _ s: Double) -> Polygon {
        Polygon(exterior: [Coordinate(x, y), Coordinate(x + s, y), Coordinate(x + s, y + s), Coordinate(x, y + s), Coordinate(x, y)])
    }

    static let bowTie = Geometry.polygon(Polygon(exterior: [
        Coordinate(0, 0), Coordinate(1, 1), Coordinate(1, 0), Coordinate(0, 1), Coordinate(0, 0),
    ]))

    /// Through GEOS and back without any operation: every type, empties, holes, nesting.
    static let roundTripCases: [Geometry] = [
        .point(Point(121.5, 31.25)), .point(.empty),
        .lineString(LineString([Coordinate(0, 0), Coordinate(1, 2), Coordinate(3, -1)])), .lineString(.empty),
        .polygon(Polygon(exterior: square(0, 0, 10).exterior, holes: [square(2, 2, 1).exterior.reversed(), square(5, 5, 2).exterior.reversed()])),
        .polygon(.empty),
        .multiPoint(MultiPoint([Point(1, 2), Point(3, 4)])),
        .multiLineString(MultiLineString([LineString([Coordinate(0, 0), Coordinate(1, 1)]), LineString([Coordinate(2, 2), Coordinate(3, 5)])])),
        .multiPolygon(MultiPolygon([square(0, 0, 1), square(5, 5, 1)])),
        .multiPolygon(MultiPolygon([])),
        .geometryCollection(GeometryCollection([.point(Point(1, 1)), .geometryCollection(GeometryCollection([.polygon(square(0, 0, 1))]))])),
        .geometryCollection(GeometryCollection([])),
    ]

    @Test(arguments: roundTripCases)
    func conversionRoundTripsExactly(_ g: Geometry) throws {
        let back = try GEOSContext.with { context in try context.makeGEOS(g).withPointer(context.makeSwift) }
        #expect(back == g)
    }

    @Test func bowTieIsInvalidWithSelfIntersectionAtTheCrossing() throws {
        let v = try Self.bowTie.validity()
        #expect(!v.isValid)
        #expect(v.reason == "Self-intersection")
        #expect(v.location == Coordinate(0.5, 0.5))
    }

    @Test func validPolygonHasNoReason() throws {
        #expect(try Geometry.polygon(Self.square(0, 0, 1)).validity() == .init(isValid: true))
    }

    @Test func holeOutsideShellIsReported() throws {
        let p = Polygon(exterior: Self.square(0, 0, 1).exterior, holes: [Self.square(5, 5, 1).exterior])
        let v = try Geometry.polygon(p).validity()
        #expect(!v.isValid && v.reason == "Hole lies outside shell")
    }

    @Test func makeValidSplitsABowTieIntoTwoTriangles() throws {
        let fixed = try Self.bowTie.makeValid()
        guard case .multiPolygon(let m) = fixed else { Issue.record("expected a multipolygon, got \(fixed)"); return }
        #expect(m.polygons.count == 2)
        #expect(m.polygons.allSatisfy { $0.exterior.count == 4 && $0.holes.isEmpty })
        #expect(try fixed.validity().isValid)
        #expect(abs(try fixed.planarArea() - 0.5) < 1e-15)
    }

    @Test func overlaysOfTwoSquares() throws {
        let a = Geometry.polygon(Self.square(0, 0, 2)), b = Geometry.polygon(Self.square(1, 1, 2))
        #expect(try a.intersection(b).planarArea() == 1)
        #expect(try a.union(b).planarArea() == 7)
        #expect(try a.difference(b).planarArea() == 3)
        #expect(try a.symmetricDifference(b).planarArea() == 6)
        let overlay = try a.polygonOverlay(with: b)
        #expect(overlay.intersection.polygons.count == 1 && overlay.onlyFirst.polygons.count == 1 && overlay.onlySecond.polygons.count == 1)
    }

    @Test func touchingCellsOverlayToNoArea() throws {
        let a = Geometry.polygon(Self.square(0, 0, 1)), b = Geometry.polygon(Self.square(1, 0, 1))
        let shared = try a.intersection(b)
        #expect(shared.typeName == "LINESTRING" || shared.typeName == "MULTILINESTRING")
        #expect(shared.polygonalParts.isEmpty)
        let overlay = try a.polygonOverlay(with: b)
        #expect(overlay.intersection.polygons.isEmpty)
        #expect(try Geometry.multiPolygon(overlay.onlyFirst).planarArea() == 1)
    }

    @Test func unaryUnionDissolvesAGrid() throws {
        let cells = (0..<3).flatMap { i in (0..<3).map { j in Geometry.polygon(Self.square(Double(i), Double(j), 1)) } }
        let merged = try Geometry.unaryUnion(cells)
        guard case .polygon(let p) = merged else { Issue.record("expected one polygon, got \(merged.typeName)"); return }
        #expect(p.holes.isEmpty)
        #expect(try merged.planarArea() == 9)
        #expect(try merged.planarLength() == 12)
        #expect(try Geometry.unaryUnion([]) == .geometryCollection(GeometryCollection([])))
    }

    @Test func predicatesFollowOGCBoundaryRules() throws {
        let cell = Geometry.polygon(Self.square(0, 0, 1))
        let inside = Geometry.point(Point(0.5, 0.5)), onEdge = Geometry.point(Point(1, 0.5)), outside = Geometry.point(Point(2, 2))
        #expect(try cell.contains(inside) && cell.intersects(inside))
        #expect(try !cell.contains(onEdge) && cell.intersects(onEdge))
        #expect(try !cell.contains(outside) && !cell.intersects(outside))
        #expect(try Geometry.polygon(.empty).isEmpty)
    }

    @Test func inputGEOSCannotTakeIsAGeometryErrorNamingThePart() {
        let unclosed = Polygon(exterior: Self.square(0, 0, 1).exterior,
                               holes: [[Coordinate(0.2, 0.2), Coordinate(0.4, 0.2), Coordinate(0.4, 0.4), Coordinate(0.3, 0.3)]])
        let cases: [(Geometry, String)] = [
            (.polygon(unclosed), "hole 0: ring is not closed"),
            (.polygon(Polygon(exterior: [Coordinate(0, 0), Coordinate(1, 0), Coordinate(0, 0)])), "exterior ring: a ring needs at least 4"),
            (.lineString(LineString([Coordinate(0, 0)])), "linestring needs 0 or at least 2"),
            (.multiPolygon(MultiPolygon([Self.square(0, 0, 1), Polygon(exterior: [Coordinate(0, 0), Coordinate(.nan, 0), Coordinate(1, 1), Coordinate(0, 0)])])),
             "polygon 1, exterior ring, position 1: coordinate is not finite"),
            (.geometryCollection(GeometryCollection([.point(Point(1, 1)), .point(Point(.infinity, 2))])), "member 1, position 0"),
        ]
        for (g, fragment) in cases {
            do {
                _ = try g.validity()
                Issue.record("\(g) should be refused")
            } catch let error as GeometryError {
                #expect(error.message.contains(fragment), "message: \(error.message)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func overlayOfInvalidInputIsAGeometryErrorWithGEOSsMessage() {
        // GEOS 3.11's overlay refuses a self-intersecting input; the error carries its message
        // (and the handles made for the call are freed on this path too: see the leak check).
        let square = Geometry.polygon(Polygon(exterior: [
            Coordinate(0.5, 0), Coordinate(3, 0), Coordinate(3, 0.75), Coordinate(0.5, 0.75), Coordinate(0.5, 0),
        ]))
        #expect { try Self.bowTie.union(square) } throws: { error in
            guard let e = error as? GeometryError else { return false }
            return e.message.hasPrefix("GEOS union failed: ") && e.message.contains("invalid")
        }
        #expect { try square.intersection(Self.bowTie) } throws: { error in
            (error as? GeometryError)?.message.hasPrefix("GEOS intersection failed: ") == true
        }
        // Repairing first makes the overlay work.
        #expect(throws: Never.self) { try Self.bowTie.makeValid().union(square) }
    }

    @Test func badBufferArgumentsAreRefused() {
        let p = Geometry.point(Point(0, 0))
        #expect(throws: GeometryError.self) { try p.buffer(distance: .nan) }
        #expect(throws: GeometryError.self) { try p.buffer(distance: 1, quadrantSegments: 0) }
    }

    @Test func theContextIsPerThreadAndReused() async throws {
        let here = try GEOSContext.current()
        #expect(try GEOSContext.current() === here)
        let hereAddress = Int(bitPattern: UnsafeRawPointer(here.handle))
        // Another thread, while this thread's context is alive, gets a context of its own.
        let otherAddress = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Int, Error>) in
            let thread = Thread {
                do {
                    let other = try GEOSContext.current()
                    done.resume(returning: Int(bitPattern: UnsafeRawPointer(other.handle)))
                } catch { done.resume(throwing: error) }
            }
            thread.start()
        }
        withExtendedLifetime(here) { #expect(otherAddress != hereAddress) }
    }
}
