import TwinGeo
import TwinSamples

/// The demo's summary for a person: aligned, brief.
struct DemoSummary {
    let district: SampleDistrict
    let root: String
    let twin: Twin
    let reports: [ValidationReport]
    let merge: TwinMergeReport
    let geocode: GeocodeSummary
    let tally: DemoTally
    let assets: [DemoAssets.Imported]
    let search: DemoSearch
    let addresses: DemoAddresses
    let mapPath: String
    let timings: [(String, Double)]

    var text: String {
        var lines: [String] = []
        let c = CLIFormat.count
        lines.append("TwinGeo demo: sample district \(SampleDistrict.districtCode) at scale \(district.configuration.scale) "
                     + "(seed \(district.seed)) in \(root)")
        lines.append("")

        // Layers.
        var rows = [["layer", "kind", "cells", "issues"]]
        for (layer, report) in zip(twin.layers, reports) {
            let errors = report.issues.filter { $0.severity == .error }.count
            let warnings = report.issues.count - errors
            let issues = report.issues.isEmpty ? "none" : "\(errors) errors, \(warnings) warnings"
            rows.append([layer.name, "\(layer.kind.argumentName) \(layer.kind.chineseName)", c(report.cellCount), issues])
        }
        lines.append("Layers")
        lines.append(CLIFormat.table(rows, rightAligned: [2]))

        // Merge.
        if let report = merge.latest {
            let snapped = report.slivers.filter(\.snapped).count
            lines.append("")
            lines.append("Merge (多格合一): \(c(report.atomicCellCount)) atomic cells from \(c(report.faceCount)) faces; "
                         + "slivers below \(CLIFormat.fixed(report.sliverAreaM2, 0)) m²: \(c(report.slivers.count)) found, "
                         + "\(c(snapped)) fixed (snapped)")
        }

        // Assets.
        lines.append("")
        lines.append("Assets")
        lines.append(CLIFormat.table([["kind", "file", "imported", "rejected"]]
                                         + assets.map { [$0.kind.rawValue, $0.file, c($0.imported), c($0.rejected)] },
                                     rightAligned: [2, 3]))

        // Events.
        let g = geocode
        func sorted(_ d: [String: Int]) -> [[String]] {
            d.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { [$0.key, c($0.value)] }
        }
        lines.append("")
        lines.append("Events: \(c(g.rowsIn)) rows in = \(c(g.rowsOut)) assigned (\(c(tally.outside)) of them outside the "
                     + "district, no cell) + \(c(g.rowsRejected)) rejected")
        lines.append("Per 街镇")
        lines.append(CLIFormat.table(sorted(tally.perJiezhen), rightAligned: [1]))
        lines.append("Per responsible department (一口派单)")
        lines.append(CLIFormat.table(sorted(tally.perDepartment), rightAligned: [1]))
        lines.append("Rejected rows by reason")
        lines.append(g.reasons.isEmpty ? "  none" : CLIFormat.table(g.reasons.sorted { $0.key < $1.key }.map { [$0.key, c($0.value)] },
                                                                     rightAligned: [1]))

        // Address book and search.
        lines.append("")
        lines += search.lines(book: district.addressBook, root: root)
        lines.append("")
        lines += addresses.lines(root: root)

        // Throughput and timings.
        lines.append("")
        lines.append("Throughput: \(c(g.rowsIn)) rows geocoded into \(twin.layers.count) layers in "
                     + "\(CLIFormat.fixed(g.seconds, 3)) s = \(c(Int(g.rowsPerSecond))) rows/s (BatchGeocoder, CSV in and out)")
        lines.append("Timings")
        lines.append(CLIFormat.table(timings.map { [$0.0, CLIFormat.fixed($0.1, 2) + " s"] }, rightAligned: [1]))
        lines.append("")
        lines.append("Map: \(mapPath) (街镇 and police cells, merged cells, \(c(tally.dots.count)) event dots)")
        lines.append("Twin: \(root)/\(DemoDirectory.twinFile); events: \(root)/\(DemoDirectory.assignedFile), "
                     + "\(root)/\(DemoDirectory.rejectsFile)")
        return lines.joined(separator: "\n")
    }
}
