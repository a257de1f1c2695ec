"""Benchmarks, run by hand from the checkout's root as modules (`python -m bench.latency`), so
they import lstm_core, ui and each other without touching sys.path. bench.app_driver and
bench.late_answers are also what tests/browser drives the app with: one definition of "the
server is up", "the page is ready" and "the chart is drawn" for the numbers and the tests."""
