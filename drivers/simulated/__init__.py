"""In-process simulated devices: they behave like the real ones (own threads, latency, faults)
and have a small control surface for the demo's "resident's hands" panel and for tests."""
