import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "(not yet implemented)")
}
