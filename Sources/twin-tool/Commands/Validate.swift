import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "(not yet implemented)")
}
