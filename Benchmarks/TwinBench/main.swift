import Glibc
// twin-bench [locate|rtree|twin|assets|all]: TwinIndex against GEOS (prepared contains over an
// STRtree, in this same binary), printing both figures and their ratio.
let which = CommandLine.arguments.dropFirst().first ?? "all"
switch which {
case "locate": runLocateBenchmarks()
case "rtree": runRTreeBenchmarks()
case "twin": runTwinLocateBenchmark()
case "assets": runAssetBenchmarks()
case "address": runAddressBenchmark(directory: CommandLine.arguments.dropFirst(2).first ?? "sample-district")
case "all":
    runLocateBenchmarks()
    runRTreeBenchmarks()
    runTwinLocateBenchmark()
    runAssetBenchmarks()
default:
    print("usage: twin-bench [locate|rtree|twin|assets|all]")
    exit(2)
}
