"""Property-based fuzzing of every API operation with malformed answers (Hypothesis).

``pytest tests/fuzz -q -s`` runs about 12,600 cases in under a minute and prints the count.
``SPHERON_FUZZ_SCALE=10`` runs ten times as many.
"""
