print("twin-bench: no benchmarks yet")
