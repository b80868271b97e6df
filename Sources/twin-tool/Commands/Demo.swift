import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "(not yet implemented)")
}
