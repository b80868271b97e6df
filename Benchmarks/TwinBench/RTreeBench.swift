func runRTreeBenchmarks() { print("rtree: not yet written") }
