import ArgumentParser
import TwinGeo

@main
struct TwinTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin-tool",
        abstract: "Build, check and query a city-district digital twin (TwinGeo).",
        version: TwinGeoVersion.string,
        subcommands: []
    )
}
