import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "(not yet implemented)")
}
