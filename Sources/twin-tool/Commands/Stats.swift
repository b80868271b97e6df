import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "(not yet implemented)")
}
