import Glibc
// twin-bench [locate|rtree|all]: TwinIndex against GEOS (prepared contains over an
// STRtree, in this same binary), printing both figures and their ratio.
let which = CommandLine.arguments.dropFirst().first ?? "all"
switch which {
case "locate": runLocateBenchmarks()
case "rtree": runRTreeBenchmarks()
case "all":
    runLocateBenchmarks()
    runRTreeBenchmarks()
default:
    print("usage: twin-bench [locate|rtree|all]")
    exit(2)
}
