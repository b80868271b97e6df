import ArgumentParser
import TwinGeo

/// `twin-tool`: build, check and query a city-district digital twin from the command line.
///
/// A thin shell over TwinGeo: every command parses its arguments, calls the library and prints.
/// Exit codes follow DESIGN.md (0 ok, 1 data or file problem, 2 usage error) through ``CLIExit``.
@main
struct TwinTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin-tool",
        abstract: "Build, check and query a city-district digital twin (TwinGeo).",
        discussion: """
            Exit codes: 0 success; 1 a problem in the data or files (the message names the file, \
            feature or line, and field); 2 a usage error.

            Example:
              twin-tool init putuo.gpkg
              twin-tool import-layer putuo.gpkg --layer police --code-field code police.geojson
              twin-tool merge putuo.gpkg --sliver-m2 50 --snap
              twin-tool locate putuo.gpkg 121.3970 31.2490
            """,
        version: TwinGeoVersion.string,
        subcommands: [
            Init.self, ImportLayer.self, Validate.self, Merge.self, Geocode.self, Locate.self,
            ImportAssets.self, Nearest.self, Transform.self, Render.self, Stats.self, Demo.self,
            ImportAddresses.self,
            ImportEvents.self, Search.self,
        ]
    )

    /// Replaces swift-argument-parser's entry point so usage errors exit 2 (not 64) and TwinGeo
    /// errors exit 1 with one sentence.
    static func main() {
        CLIExit.run(TwinTool.self)
    }
}
