import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// The exit codes of `twin-tool` (DESIGN.md, "Input handling"), and the one place that maps
/// errors onto them.
///
/// * 0 — success, and `--help` / `--version`.
/// * 1 — a problem in the data or the files (any ``TwinError``, or ``CLIDataError``): one line
///   `twin-tool: <file, feature/line, field: message>` on stderr.
/// * 2 — a usage error: an unknown option, a missing or malformed argument, an unknown CRS, a
///   `ValidationError`. The message and the command's usage go to stderr. swift-argument-parser
///   would exit 64 (`EX_USAGE`); the twin tools promise 2.
///
/// ```swift
/// @main struct TwinTool: ParsableCommand {
///     static func main() { CLIExit.run(TwinTool.self) }
/// }
/// ```
public enum CLIExit {
    /// Success.
    public static let success: Int32 = 0
    /// A problem in the data or files.
    public static let dataError: Int32 = 1
    /// A usage error.
    public static let usageError: Int32 = 2

    /// Parses `arguments` (default: the process arguments) against `root`, runs the chosen
    /// command and exits with the code the outcome maps to. Never returns.
    ///
    /// - Parameters:
    ///   - root: the root command type.
    ///   - arguments: the arguments without the executable name; `nil` = `CommandLine.arguments`.
    public static func run(_ root: ParsableCommand.Type, arguments: [String]? = nil) -> Never {
        var command: ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            fail(with: error, root: root, parsing: true)
        }
        do {
            try command.run()
        } catch {
            fail(with: error, root: root, parsing: false)
        }
        flushAndExit(success)
    }

    /// The exit code for `error`, after printing what a person needs.
    ///
    /// Kept separate from ``run(_:arguments:)`` so each kind of failure has one spelled-out branch.
    private static func fail(with error: Error, root: ParsableCommand.Type, parsing: Bool) -> Never {
        switch error {
        case let error as TwinError:
            Console.error("twin-tool: \(error.description)")
            flushAndExit(dataError)
        case let error as CLIDataError:
            Console.error("twin-tool: \(error.message)")
            flushAndExit(dataError)
        case let code as ExitCode:
            flushAndExit(code.rawValue)
        default:
            break
        }
        let code = root.exitCode(for: error)
        if code == .success {
            // --help, --version, CleanExit: the parser prints them to stdout and exits 0.
            root.exit(withError: error)
        }
        if parsing || error is ValidationError {
            // A usage error: swift-argument-parser's message plus the command's usage line.
            Console.error(root.fullMessage(for: error))
            flushAndExit(usageError)
        }
        // Anything else thrown while running: a data or environment problem, described once.
        Console.error("twin-tool: \(root.message(for: error))")
        flushAndExit(dataError)
    }

    /// Ends the process with `code` (``Console`` writes unbuffered, so nothing is pending).
    static func flushAndExit(_ code: Int32) -> Never {
        exit(code)
    }
}

/// A data or file problem the CLI itself finds (not through TwinGeo): exit code 1. The message
/// names the file, line or feature and field, like a ``TwinError``'s description.
public struct CLIDataError: Error, CustomStringConvertible {
    /// The complete sentence.
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
