"""Results: the one test status (``status``), KTAP parsing, the results model, base-vs-patched
comparison, the one verdict module (``verdict``: every mapping, judgement and exit rule) and
the report writers, which render its Judgement.

Dependencies point one way: ``status`` ← ``ktap`` ← ``model`` ← ``compare`` ← ``verdict`` ←
``report.*``.
"""
