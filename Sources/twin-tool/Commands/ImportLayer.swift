import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct ImportLayer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-layer", abstract: "(not yet implemented)")
}
