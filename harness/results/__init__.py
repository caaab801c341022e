"""Results: KTAP parsing, the results model, base-vs-patched comparison, and the report writers.

Dependencies point one way: ``ktap`` ← ``model`` ← ``compare`` ← ``report.*``.
"""
