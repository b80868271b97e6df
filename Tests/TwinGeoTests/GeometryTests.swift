import Testing
@testable import TwinGeo

@Test func boundingBoxOfPolygonWithHole() {
    let outer = [Coordinate(0, 0), Coordinate(10, 0), Coordinate(10, 5), Coordinate(0, 5), Coordinate(0, 0)]
    let hole = [Coordinate(1, 1), Coordinate(2, 1), Coordinate(2, 2), Coordinate(1, 1)]
    let g = Geometry.polygon(Polygon(exterior: outer, holes: [hole]))
    #expect(g.boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 5))
    #expect(Geometry.polygon(.empty).boundingBox == nil)
    #expect(Geometry.geometryCollection(GeometryCollection([.point(.empty)])).isEmpty)
}

@Test func emptyBoxContainsNothing() {
    #expect(BoundingBox.empty.isEmpty)
    #expect(!BoundingBox.empty.contains(Coordinate(0, 0)))
    let b = BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
    #expect(b.contains(Coordinate(1, 1)))
    #expect(b.union(.empty) == b)
    #expect(!b.intersects(.empty))
}
