func runLocateBenchmarks() { print("locate: not yet written") }
