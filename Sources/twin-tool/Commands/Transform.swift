import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Transform: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transform", abstract: "(not yet implemented)")
}
