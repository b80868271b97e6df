import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locate", abstract: "(not yet implemented)")
}
