"""The evaluation report behind ``briefbot eval``."""
