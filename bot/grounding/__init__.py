"""Grounding: checking that an answer says only what its cited passages say."""
