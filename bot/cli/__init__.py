"""The command line (``briefbot`` / ``python -m bot``) and the terminal chat."""
