import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Geocode: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "geocode", abstract: "(not yet implemented)")
}
