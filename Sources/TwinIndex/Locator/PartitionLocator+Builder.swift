extension PartitionLocator {
    /// Tuning of the acceleration grid. The defaults suit city grids of thousands of cells.
    public struct Options: Sendable, Equatable {
        /// Target number of tiles per distinct edge. More tiles mean more pure tiles (faster
        /// queries) and more memory (16 bytes per tile). The default, 8, costs about 130 bytes
        /// per edge; on a 3,000-cell city grid it leaves ~80 % of tiles pure (see
        /// `twin-bench locate` for the sweep).
        public var tilesPerEdge: Double
        /// Upper bound on the number of tiles, whatever the edge count.
        public var maxTiles: Int

        /// - Parameters:
        ///   - tilesPerEdge: Target tiles per distinct edge; clamped to at least 0.01.
        ///   - maxTiles: Upper bound on the tile count (2²² tiles = 64 MiB); clamped to 1 … 2²⁶.
        public init(tilesPerEdge: Double = 8, maxTiles: Int = 1 << 22) {
            self.tilesPerEdge = tilesPerEdge
            self.maxTiles = maxTiles
        }
    }

    /// Collects cells, validating each as it is added, then builds an immutable ``PartitionLocator``.
    ///
    /// ```swift
    /// var builder = PartitionLocator.Builder()
    /// let a = try builder.addCell(rings: [[0, 0, 1, 0, 1, 1, 0, 1]])
    /// let b = try builder.addCell(rings: [[1, 0, 2, 0, 2, 1, 1, 1]])
    /// let locator = try builder.finish()
    /// locator.locate(x: 1, y: 0.5) // == a: a shared vertical edge belongs to its west cell
    /// ```
    public struct Builder: Sendable {
        var rings = PartitionRings()

        public init() {}

        /// The number of cells added so far; the next cell gets this index.
        public var cellCount: Int { rings.cellCount }

        /// Adds a cell given as rings of interleaved coordinates `[x0, y0, x1, y1, …]`.
        ///
        /// A cell is a polygon with holes or a multipolygon: pass every ring of every part.
        /// Membership is even–odd, so ring orientation and which ring is a hole do not matter.
        /// A ring may repeat its first vertex at the end or not.
        ///
        /// - Parameter rings: The cell's rings, each as interleaved x, y values.
        /// - Returns: The new cell's index (0, 1, 2, … in the order of addition).
        /// - Throws: ``LocatorError`` naming the cell, ring and vertex when a cell has no rings, a
        ///   ring has an odd value count, a non-finite or out-of-range coordinate, fewer than
        ///   three distinct vertices, or only collinear vertices. The builder is unchanged then.
        /// - Complexity: O(n) in the number of vertices (O(n log n) for a collinear ring).
        @discardableResult
        public mutating func addCell(rings newRings: [[Double]]) throws(LocatorError) -> Int {
            let cell = cellCount
            guard !newRings.isEmpty else { throw .cellWithoutRings(cell: cell) }
            // Validate everything first, so a refused cell leaves the builder unchanged.
            for (r, values) in newRings.enumerated() {
                guard values.count % 2 == 0 else {
                    throw .oddCoordinateCount(cell: cell, ring: r, count: values.count)
                }
                try Self.validate(values, cell: cell, ring: r)
            }
            var box = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
            for values in newRings {
                var count = values.count / 2
                // Drop an explicit closing vertex: the closing edge is implicit.
                if count > 1 && values[0] == values[2 * count - 2] && values[1] == values[2 * count - 1] {
                    count -= 1
                }
                rings.points.append(contentsOf: values[0 ..< 2 * count])
                rings.ringStart.append(rings.ringStart[rings.ringStart.count - 1] + count)
                for v in 0 ..< count {
                    box = (min(box.0, values[2 * v]), min(box.1, values[2 * v + 1]),
                           max(box.2, values[2 * v]), max(box.3, values[2 * v + 1]))
                }
            }
            rings.cellRingStart.append(rings.ringStart.count - 1)
            rings.cellBoxes.append(contentsOf: [box.0, box.1, box.2, box.3])
            return cell
        }

        /// Adds a cell given as rings of points. See the interleaved-coordinates `addCell(rings:)`.
        @discardableResult
        public mutating func addCell(rings newRings: [[(x: Double, y: Double)]]) throws(LocatorError) -> Int {
            try addCell(rings: newRings.map { ring in
                var flat: [Double] = []
                flat.reserveCapacity(2 * ring.count)
                for p in ring { flat.append(p.x); flat.append(p.y) }
                return flat
            })
        }

        /// Builds the locator.
        ///
        /// - Parameter options: Grid tuning; the defaults are good for city grids.
        /// - Returns: An immutable, `Sendable` locator.
        /// - Throws: ``LocatorError/emptyPartition`` when no cell was added;
        ///   ``LocatorError/tooLarge(entries:)`` when the index would exceed 32-bit offsets.
        /// - Complexity: O(E log E + T + R) for E edges, T tiles and R edge registrations.
        public func finish(options: Options = Options()) throws(LocatorError) -> PartitionLocator {
            guard cellCount > 0 else { throw .emptyPartition }
            // Answers are Int32 in the batch API and cell codes (cell + 1) are UInt32.
            guard cellCount < Int(Int32.max) else { throw .tooLarge(entries: cellCount) }
            return PartitionLocator(storage: try PartitionIndexBuilder.build(rings: rings, options: options))
        }

        /// Checks one ring's values: finite, in the predicates' exact range, not degenerate.
        static func validate(_ v: [Double], cell: Int, ring: Int) throws(LocatorError) {
            let n = v.count / 2
            for i in 0 ..< v.count {
                let value = v[i]
                guard value.isFinite else { throw .nonFiniteCoordinate(cell: cell, ring: ring, vertex: i / 2) }
                let magnitude = abs(value)
                if magnitude > 0x1p480 || (magnitude != 0 && magnitude < 0x1p-480) {
                    throw .coordinateOutOfRange(cell: cell, ring: ring, vertex: i / 2, value: value)
                }
            }
            // Three non-collinear vertices prove both "≥ 3 distinct" and "non-zero area".
            if n >= 3 {
                let ax = v[0], ay = v[1]
                if let b = (1 ..< n).first(where: { v[2 * $0] != ax || v[2 * $0 + 1] != ay }) {
                    let bx = v[2 * b], by = v[2 * b + 1]
                    for c in b + 1 ..< n
                    where LocatorPredicates.orient2d(ax, ay, bx, by, v[2 * c], v[2 * c + 1]) != 0 {
                        return
                    }
                }
            }
            var distinct: [(Double, Double)] = []
            for i in 0 ..< n { distinct.append((v[2 * i] + 0.0, v[2 * i + 1] + 0.0)) }
            distinct.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var count = distinct.isEmpty ? 0 : 1
            for i in distinct.indices.dropFirst() where distinct[i] != distinct[i - 1] { count += 1 }
            if count < 3 { throw .tooFewDistinctPoints(cell: cell, ring: ring, distinct: count) }
            throw .zeroAreaRing(cell: cell, ring: ring)
        }
    }
}
