import Foundation
import TwinSamples

/// The demo's output directory: created when missing, reused when it holds a previous demo (its
/// marker file), refused otherwise, so `twin-tool demo --dir ~/work` never clobbers someone's files.
enum DemoDirectory {
    /// The marker file a demo directory holds.
    static let marker = ".twin-demo"
    /// The twin file and the map, relative to the directory.
    static let twinFile = "twin.gpkg"
    static let mapFile = "map.svg"
    /// The geocoded events and the rejected rows.
    static let assignedFile = "events-assigned.csv"
    static let rejectsFile = "events-rejected.csv"

    /// Every file the demo writes, relative to the directory (the only files it removes).
    static var outputs: [String] {
        SampleDistrict.fileNames + [twinFile, twinFile + "-journal", mapFile, assignedFile, rejectsFile,
                                     DemoAddresses.geocodedFile, DemoAddresses.rejectsFile, marker]
    }

    /// Makes `path` ready: created, or emptied of the previous demo's own files.
    ///
    /// - Throws: ``CLIDataError`` when `path` is a file, or a non-empty directory without the marker.
    static func prepare(_ path: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIDataError("\(path): exists and is not a directory; choose another --dir")
            }
            let contents = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if !contents.isEmpty {
                guard contents.contains(marker) else {
                    throw CLIDataError("\(path): the directory is not empty and was not written by twin-tool demo "
                                       + "(no \(marker) file); refusing to overwrite it — choose another --dir")
                }
                for file in outputs where fm.fileExists(atPath: path + "/" + file) {
                    do { try fm.removeItem(atPath: path + "/" + file) } catch {
                        throw CLIDataError("\(path)/\(file): cannot remove the previous demo output: \(error.localizedDescription)")
                    }
                }
            }
        } else {
            do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw CLIDataError("\(path): cannot create the demo directory: \(error.localizedDescription)")
            }
        }
        guard fm.createFile(atPath: path + "/" + marker, contents: Data("written by twin-tool demo\n".utf8)) else {
            throw CLIDataError("\(path)/\(marker): cannot write the demo marker file")
        }
    }
}
