import ArgumentParser
import TwinGeo

// Stub: replaced by the command's implementation.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "(not yet implemented)")
}
