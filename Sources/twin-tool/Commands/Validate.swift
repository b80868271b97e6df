import ArgumentParser
import TwinGeo

/// `twin-tool validate TWIN.gpkg [--json]`.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every layer version: gaps, overlaps, invalid cells, codes, hierarchy nesting.",
        discussion: """
            Prints one report per layer version. Exits 1 when any layer has an error (gap, overlap, \
            invalid or empty cell, bad or duplicate code, hierarchy crossing); warnings alone exit 0.

            Example:
              twin-tool validate putuo.gpkg
              twin-tool validate putuo.gpkg --json > report.json
            """
    )

    @OptionGroup var options: TwinOptions

    @Flag(help: "Print the reports as a JSON array.")
    var json = false

    func run() throws {
        let builder = try TwinBuilder.open(at: options.twin)
        let reports = try builder.validate()
        if json {
            Console.output(JSONValue.array(reports.map(\.json)).jsonText)
        } else {
            for report in reports { Console.output(report.description) }
            if reports.isEmpty { Console.output("The twin has no layers.") }
        }
        let failing = reports.filter(\.hasErrors)
        if !failing.isEmpty {
            Console.error("twin-tool: \(options.twin): \(failing.count) of \(reports.count) layer versions have errors "
                          + "(\(failing.map(\.layer).joined(separator: ", ")))")
            throw ExitCode(CLIExit.dataError)
        }
    }
}
