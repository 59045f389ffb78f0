"""Ingesting an article: read a source, parse it, split it into passages with stable ids,
enrich it (translation and key points, checked) and write it as a knowledge file."""
