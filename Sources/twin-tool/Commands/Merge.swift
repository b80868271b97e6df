import ArgumentParser
import TwinGeo

/// `twin-tool merge TWIN.gpkg [--sliver-m2 A] [--snap] [--json]`.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Build the merged grid (多格合一) of every epoch and report slivers and uncovered areas.",
        discussion: """
            Overlays every layer version in force into atomic cells, one merge per epoch, and \
            stores them (replacing the previous merge) in one transaction. Slivers below \
            --sliver-m2 are misaligned shared boundaries the departments should fix; --snap merges \
            them into their neighbour.

            Example:
              twin-tool merge putuo.gpkg --sliver-m2 50 --snap
            """
    )

    @OptionGroup var options: TwinOptions

    @Option(name: .customLong("sliver-m2"), help: "Atomic cells smaller than this many m² are reported as slivers.")
    var sliverM2: Double = 50

    @Flag(help: "Merge each sliver into the neighbour it shares the longest edge with.")
    var snap = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard sliverM2.isFinite, sliverM2 >= 0 else {
            throw ValidationError("--sliver-m2 must be a finite area ≥ 0 m², not \(sliverM2)")
        }
    }

    func run() throws {
        let builder = try TwinBuilder.open(at: options.twin)
        Console.progress("twin-tool: merging \(options.twin)")
        let result = try builder.merge(options: MergeOptions(sliverAreaM2: sliverM2, snapSlivers: snap))
        if json {
            var epochs: [JSONValue] = []
            for (epoch, report) in zip(result.epochs, result.reports) {
                var o = JSONObject()
                o["epoch"] = .number(JSONNumber(epoch.id))
                o["validFrom"] = epoch.validFrom.map { .string(CLIFormat.instant($0)) } ?? .null
                o["validTo"] = epoch.validTo.map { .string(CLIFormat.instant($0)) } ?? .null
                o["report"] = report?.json ?? .null
                epochs.append(.object(o))
            }
            Console.output(JSONValue.object(["epochs": .array(epochs)]).jsonText)
        } else {
            Console.output(result.description)
        }
    }
}
