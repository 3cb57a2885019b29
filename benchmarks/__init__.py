"""Speed and memory benchmarks (`python -m benchmarks`); tests check correctness, not these."""
