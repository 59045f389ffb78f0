"""The offline extractive engine: BM25 retrieval over the articles, answers quoted from passages."""
