"""Orchestration: one spec end to end (pipeline), the stability pass, checkpoints, shards.

Kept free of imports so that `apicompat.run.shards` stays light for the conformance layer.
"""
