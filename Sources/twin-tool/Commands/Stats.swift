import ArgumentParser
import Foundation
import TwinGeo

/// `twin-tool stats TWIN.gpkg [--json]`.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise a merged twin: layers, versions, cells, epochs, merged cells, file size.",
        discussion: """
            Reads the twin read-only. The twin must have been merged since its last import.

            Example:
              twin-tool stats putuo.gpkg
              twin-tool stats putuo.gpkg --json
            """
    )

    @OptionGroup var options: TwinOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let twin = try Twin.open(options.twin)
        let merged = try TwinMapData.mergedCellCounts(twinAt: options.twin)
        let size = ((try? FileManager.default.attributesOfItem(atPath: options.twin))?[.size] as? NSNumber)?.intValue ?? 0
        if json {
            var layers: [JSONValue] = []
            for layer in twin.layers {
                let versions: [JSONValue] = layer.versions.map { v in
                    .object(["version": .number(JSONNumber(v.version)), "cells": .number(JSONNumber(v.cells.count)),
                             "validFrom": v.validFrom.map { .string(CLIFormat.instant($0)) } ?? .null,
                             "validTo": v.validTo.map { .string(CLIFormat.instant($0)) } ?? .null,
                             "source": v.sourceFile.map(JSONValue.string) ?? .null])
                }
                layers.append(.object(["name": .string(layer.name), "kind": .string(layer.kind.argumentName),
                                       "versions": .array(versions)]))
            }
            let epochs: [JSONValue] = twin.epochs.map { e in
                .object(["epoch": .number(JSONNumber(e.id)),
                         "validFrom": e.validFrom.map { .string(CLIFormat.instant($0)) } ?? .null,
                         "validTo": e.validTo.map { .string(CLIFormat.instant($0)) } ?? .null,
                         "mergedCells": .number(JSONNumber(merged[e.id] ?? 0))])
            }
            let doc: JSONObject = ["file": .string(options.twin), "fileBytes": .number(JSONNumber(size)),
                                   "layers": .array(layers), "epochs": .array(epochs),
                                   "dispatchRules": .number(JSONNumber(twin.dispatchRules.count))]
            Console.output(JSONValue.object(doc).jsonText)
            return
        }
        var lines = ["Twin \(options.twin): \(CLIFormat.count(size)) bytes, \(twin.layers.count) layers, "
                     + "\(twin.epochs.count) epoch(s), \(twin.dispatchRules.count) dispatch rules."]
        var rows = [["layer", "kind", "version", "cells", "valid from", "valid to"]]
        for layer in twin.layers {
            for v in layer.versions {
                rows.append([layer.name, layer.kind.argumentName, "v\(v.version)", CLIFormat.count(v.cells.count),
                             v.validFrom.map(CLIFormat.instant) ?? "-", v.validTo.map(CLIFormat.instant) ?? "-"])
            }
        }
        lines.append(CLIFormat.table(rows, rightAligned: [3]))
        var epochRows = [["epoch", "from", "to", "merged cells"]]
        for e in twin.epochs {
            epochRows.append(["\(e.id)", e.validFrom.map(CLIFormat.instant) ?? "-", e.validTo.map(CLIFormat.instant) ?? "-",
                              CLIFormat.count(merged[e.id] ?? 0)])
        }
        lines.append(CLIFormat.table(epochRows, rightAligned: [3]))
        Console.output(lines.joined(separator: "\n"))
    }
}
