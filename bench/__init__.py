"""Benchmarks: `make bench` runs them all on throwaway embedded servers (`python -m bench`).

Each one alone: `python -m config.embedded exec --throwaway -- python -m bench.provisioning`
(or `bench.http`). They work in a database of their own (`<name>_bench`, dropped after),
never in the one `make run` uses. Figures are recorded in docs/performance.md.
"""
