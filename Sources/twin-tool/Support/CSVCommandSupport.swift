import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// What `geocode` and `transform` share: CRS and path checks, progress and summary lines on
/// stderr, and the mapping of failures onto exit codes (0 ok, 1 data or file problem, 2 usage).
/// Kept in this file (`Geocode`-prefixed) so the two commands do not depend on other commands'
/// helpers.
enum GeocodeCommandSupport {
    /// Writes one line to stderr.
    static func printError(_ text: String) { writeAll(2, text + "\n") }

    /// Writes `text` to file descriptor `fd` (unbuffered, so stderr lines and stdout never interleave
    /// out of order and nothing waits in a `FILE` buffer at exit).
    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
        bytes.removeAll()
    }

    /// A usage error: the message on stderr, exit code 2.
    static func usage(_ command: String, _ message: String) -> ExitCode {
        printError("twin-tool \(command): \(message)")
        return ExitCode(2)
    }

    /// Parses a CRS option and checks that it converts to `target`; a usage error (exit 2) for an
    /// unknown name or an EPSG code PROJ does not know.
    static func crs(_ name: String, option: String, command: String, convertibleTo target: CRS = .wgs84) throws -> CRS {
        guard let crs = CRS(name: name) else {
            throw usage(command, "\(option): unknown CRS \"\(name)\" (use wgs84, cgcs2000, gcj02, bd09 or EPSG:<code>)")
        }
        do {
            _ = try CoordinateTransform(from: crs, to: target)
        } catch {
            throw usage(command, "\(option) \(name): \(error)")
        }
        return crs
    }

    /// Checks paths before anything is opened: a missing input is a data error (exit 1) naming
    /// it; an output equal to an input is a usage error (exit 2).
    static func checkPaths(command: String, inputs: [(label: String, path: String)], outputs: [(label: String, path: String)]) throws {
        for (label, path) in inputs where access(path, F_OK) != 0 {
            printError("twin-tool \(command): \(label) \(path) does not exist")
            throw ExitCode(1)
        }
        for (outLabel, out) in outputs {
            for (inLabel, input) in inputs where GeocodePaths.same(out, input) {
                throw usage(command, "refusing to write the \(outLabel) file \(out): it is the \(inLabel) file")
            }
        }
        if outputs.count == 2, GeocodePaths.same(outputs[0].path, outputs[1].path) {
            throw usage(command, "the \(outputs[0].label) and \(outputs[1].label) files are the same file \(outputs[0].path)")
        }
    }

    /// Runs `body`, mapping TwinGeo errors to exit code 1 with their sentence (an argument error
    /// of the batch engine — an output that is an input — to 2).
    static func mapErrors<T>(_ command: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TwinError {
            printError("twin-tool \(command): \(error.description)")
            throw ExitCode(error.code == .argument ? 2 : 1)
        }
    }

    /// A progress printer for stderr: on a terminal, one line rewritten after every chunk;
    /// otherwise a plain line every `every` rows.
    static func progressPrinter(every: Int = 1_000_000, quiet: Bool) -> ((GeocodeProgress) -> Void)? {
        guard !quiet else { return nil }
        let terminal = isatty(2) == 1
        nonisolated(unsafe) var next = every
        return { p in
            let rate = p.seconds > 0 ? Int((Double(p.rowsIn) / p.seconds).rounded()) : 0
            let text = "\(p.rowsIn) rows (\(p.rowsRejected) rejected), \(rate) rows/s"
            if terminal {
                writeAll(2, "\r\(text)\u{1B}[K")
            } else if p.rowsIn >= next {
                writeAll(2, text + "\n")
                next = (p.rowsIn / every + 1) * every
            }
        }
    }

    /// The final lines: the summary on stderr (ending the terminal progress line), and with
    /// `json` the summary object on stdout.
    static func finish(_ summary: GeocodeSummary, json: Bool, quiet: Bool) {
        if isatty(2) == 1 && !quiet { writeAll(2, "\r\u{1B}[K") }
        printError(summary.description)
        if json {
            writeAll(1, summary.json + "\n")
        }
    }
}

/// The CSV options `geocode` and `transform` share (`@OptionGroup`): the files, the coordinate
/// columns, chunking and the output switches.
struct CSVPointOptions: ParsableArguments {
    @Option(name: .customLong("in"), help: ArgumentHelp("The CSV to read (RFC 4180, UTF-8, a header line).", valueName: "in.csv"))
    var input: String

    @Option(help: ArgumentHelp("The CSV to write.", valueName: "out.csv"))
    var out: String

    @Option(help: ArgumentHelp("The rejects CSV (default: <out>.rejects.csv).", valueName: "rejects.csv"))
    var rejects: String?

    @Option(help: "The longitude (or easting) column.")
    var lonColumn = "lon"

    @Option(help: "The latitude (or northing) column.")
    var latColumn = "lat"

    @Option(help: "Rows per processing chunk.")
    var chunkRows = 65_536

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    /// `--rejects`, or `<out>.rejects.csv`.
    var rejectsPath: String { rejects ?? out + ".rejects.csv" }

    /// Checks `--chunk-rows` (a usage error, exit 2).
    func check(_ command: String) throws {
        guard chunkRows >= 1 else { throw GeocodeCommandSupport.usage(command, "--chunk-rows must be at least 1") }
    }

    /// The engine options for these columns and chunking.
    func engineOptions() -> GeocodeOptions {
        var options = GeocodeOptions(lonColumn: lonColumn, latColumn: latColumn)
        options.chunkRows = chunkRows
        return options
    }
}
