"""A tenant app installed only by bench/scale.py's migration run (BENCH_SCALE_MIGRATION=1): its one
migration is the "new migration" applied across every workspace."""
