import ArgumentParser
import TwinGeo

/// `twin-tool init TWIN.gpkg`: creates an empty twin file.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty twin file (GeoPackage 1.3 with the twin tables).",
        discussion: """
            An existing file is reused only when it is an empty GeoPackage or a twin without layers \
            and dispatch rules; anything holding data is refused (exit 1), never overwritten.

            Example:
              twin-tool init putuo.gpkg
            """
    )

    @OptionGroup var options: TwinOptions

    func run() throws {
        let builder = try TwinBuilder.create(at: options.twin)
        Console.output("Created twin \(builder.path).")
    }
}
