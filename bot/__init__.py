"""briefbot: briefs teams on the news it was given, grounded only in those articles."""
