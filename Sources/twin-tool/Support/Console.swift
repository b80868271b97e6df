import Foundation

/// Where `twin-tool` writes: data on stdout, progress and diagnostics on stderr (so
/// `twin-tool locate … > a.json` captures only the answer). Writes are unbuffered, so output is
/// complete whenever the process exits.
public enum Console {
    /// Writes `text` and a newline to stdout.
    public static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` and a newline (unless it ends with one) to stderr.
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A progress line on stderr, unless `quiet`.
    public static func progress(_ text: String, quiet: Bool = false) {
        guard !quiet else { return }
        error(text)
    }
}
