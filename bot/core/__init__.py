"""The answering core: one place that answers a question or gives a briefing."""
