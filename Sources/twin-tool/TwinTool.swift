import ArgumentParser
import TwinGeo

@main
struct TwinTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin-tool",
        abstract: "Build, check and query a city-district digital twin (TwinGeo).",
        version: TwinGeoVersion.string,
        subcommands: [
            Init.self, ImportLayer.self, Validate.self, Merge.self, Geocode.self, Locate.self,
            Transform.self, Render.self, Stats.self, Demo.self,
        ]
    )
}
