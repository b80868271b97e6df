import TwinGeo

/// A year (2025) of events with interleaved bad rows.
struct EventGenerator {
    let grid: DistrictGrid
    let configuration: SampleConfiguration
    var rng: SplitMix64

    private static let sources: [(String, Double, [String])] = [
        ("网格巡查", 0.45, ["占道经营", "违章搭建", "垃圾满溢", "井盖缺失", "违法停车", "乱张贴", "绿化损坏", "共享单车乱停放"]),
        ("12345热线", 0.30, ["噪声扰民", "群租", "物业纠纷", "邻里纠纷", "积水", "违章搭建", "无证经营", "食品安全"]),
        ("传感器告警", 0.15, ["井盖缺失", "积水", "烟雾报警", "燃气泄漏"]),
        ("视频巡查", 0.10, ["占道经营", "违法停车", "治安", "垃圾满溢", "人群聚集"]),
    ]

    private static let notes = ["现场核实中", "已通知责任单位", "市民多次反映", "夜间时段", "早高峰时段", "需联合执法"]

    init(grid: DistrictGrid, configuration: SampleConfiguration, rng: SplitMix64) {
        self.grid = grid
        self.configuration = configuration
        self.rng = rng
    }

    /// Good rows in time order with bad rows at random positions; the unterminated-quote row
    /// last (when there is at least one bad row). 15 % of good rows are GCJ-02, 0.5 % of the
    /// WGS84 rows sit exactly on a shared lattice vertex; 5 % of addresses contain a comma, 1 %
    /// of descriptions a quoted word, 1 % a line break.
    mutating func rows() -> [EventRow] {
        let total = configuration.eventCount + configuration.badRowCount
        guard total > 0 else { return [] }
        var badAt: [Int: BadRowKind] = [:]
        if configuration.badRowCount > 0 {
            badAt[total - 1] = .unterminatedQuote
            var positions = Array(0..<(total - 1))
            rng.shuffle(&positions)
            var kinds = BadRowKind.allCases.filter { $0 != .unterminatedQuote }
            rng.shuffle(&kinds)
            for k in 0..<(configuration.badRowCount - 1) { badAt[positions[k]] = kinds[k % kinds.count] }
        }
        let cumulative = grid.cumulativeAreas()
        let roads = grid.eastWestRoads + grid.northSouthRoads
        let slot = max(1, Timestamp.yearSeconds / total)
        var rows: [EventRow] = []
        var line = 2
        for r in 0..<total {
            let time = Timestamp.text(secondsInto2025: r * Timestamp.yearSeconds / total + rng.int(in: 0...(slot - 1)))
            let source = EventGenerator.sources[rng.weightedIndex(EventGenerator.sources.map(\.1))]
            let category = rng.pick(source.2)
            // Position: a block by area, a point at least 0.5 m inside it, or (0.5 %) one of its vertices.
            let b = grid.randomBlock(cumulative, rng: &rng)
            var p = grid.randomPoint(inBlock: b, rng: &rng)
            for _ in 0..<20 where grid.distanceToBoundary(ofBlock: b, x: p.x, y: p.y) < 0.5 {
                p = grid.randomPoint(inBlock: b, rng: &rng)
            }
            let onVertex = rng.chance(0.005)
            var truth = grid.frame.degrees(x: p.x, y: p.y)
            if onVertex {
                let ring = grid.blocks.ring[b]
                truth = grid.degrees[Int(ring[rng.int(in: 0...(ring.count - 1))])]
            }
            let gcj = !onVertex && rng.chance(0.15)
            let written = gcj ? GCJ02.fromWGS84(truth) : truth
            let (road, _) = grid.address(ofBlock: b, rng: &rng)
            var address = "\(road)\(rng.int(in: 1...2000))号"
            if rng.chance(0.05) { address += ", 近\(rng.pick(roads))" }
            var description = "\(category)，\(rng.pick(EventGenerator.notes))"
            let d = rng.unit()
            if d < 0.01 { description += "，市民称\"影响通行\"" } else if d < 0.02 { description += "\n现场照片已上传" }
            var fields = ["E" + SampleNames.padded(r + 1, 7), time, "\(LocalFrame.round8(written.x))", "\(LocalFrame.round8(written.y))",
                          gcj ? "gcj02" : "wgs84", source.0, category, address, description]
            var row = EventRow(fields: fields, badKind: nil, truth: truth,
                               unitCode: onVertex ? nil : grid.hierarchy[3].cells[grid.unitOfBlock[b]].code,
                               onSharedVertex: onVertex, rawText: nil, record: r + 1, line: line)
            if let kind = badAt[r] {
                fields[4] = "wgs84"
                fields[2] = "\(truth.x)"
                fields[3] = "\(truth.y)"
                row = EventRow(fields: fields, badKind: kind, truth: nil, unitCode: nil, onSharedVertex: false,
                               rawText: nil, record: r + 1, line: line)
                corrupt(&row, kind)
            }
            line += row.csvText.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            rows.append(row)
        }
        return rows
    }

    private static func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            c.value >= 0x30 && c.value <= 0x39 ? Unicode.Scalar(c.value - 0x30 + 0xFF10)! : c
        }))
    }

    private mutating func corrupt(_ row: inout EventRow, _ kind: BadRowKind) {
        switch kind {
        case .emptyLon: row.fields[2] = ""
        case .nonNumeric: row.fields[2] = "abc"
        case .commaDecimal: row.fields[2] = row.fields[2].replacing(".", with: ",")
        case .fullWidthDigits: row.fields[3] = EventGenerator.fullWidth(row.fields[3])
        case .hexNumber: row.fields[2] = "0x79"
        case .swappedLatLon: row.fields.swapAt(2, 3)
        case .outsideDistrict:
            let outside = Coordinate(LocalFrame.round8(rng.uniform(121.55, 121.62)), LocalFrame.round8(rng.uniform(31.20, 31.24)))
            row.fields[2] = "\(outside.x)"
            row.fields[3] = "\(outside.y)"
            row.truth = outside
        case .nanText: row.fields[2] = "NaN"
        case .infText: row.fields[3] = "inf"
        case .hugeExponent: row.fields[2] = "1e400"
        case .tooFewColumns: row.fields = Array(row.fields.prefix(4))
        case .tooManyColumns: row.fields.append("多余字段")
        case .unterminatedQuote:
            var head = row.fields.prefix(7).map(CSVFormat.field)
            head.append("\"" + row.fields[7].replacing("\"", with: ""))
            // Nothing after the opening quote may contain a quote, or it would close the field.
            head.append(row.fields[8].replacing("\"", with: ""))
            row.rawText = head.joined(separator: ",") + "\r\n"
        }
    }
}

