"""The language identifier: py3langid's model cut to the bot's languages, mostly left on disk.

py3langid unpacks its whole model (97 languages, ~75 MiB resident, ~0.6 s) in every process. The
bot tells only its own languages apart, so the model is cut once to their columns and written
uncompressed to the cache folder, by a child process (a long-running process never holds the full
model). Each process then reads the small tables and the rows of the byte automaton that text in
those languages walks (a sample of their most frequent words decides which); any other row is read
from the file when a text reaches it (a name in another script, say). Classification is
py3langid's own ``LanguageIdentifier`` on the same numbers as ``set_languages``: the same answers.

    python -m bot.language.identifier PATH   # build the cut model at PATH (what the child runs)
"""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bot.cache_files import cache_dir, cached_file
from bot.language.languages import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)

HEADER_BYTES = 4096  # JSON describing the arrays, padded; the arrays follow, 8-byte aligned
BUILD_TIMEOUT = 120.0  # seconds for the child that cuts the model
SAMPLE_WORDS = 10000  # most frequent words per language whose walk decides the rows' order
SAMPLE_EXTRA = ("0 1 2 3 4 5 6 7 8 9 10 100 2025 $38 €1 10% 3,5 1.000", ". , ; : ? ! ' \" ( ) - – — / @ # * [ ]")


def load_identifier(folder: Path | None = None):
    """py3langid's ``LanguageIdentifier`` for ``SUPPORTED_LANGUAGES``, with probabilities."""
    name = f"py3langid-{metadata.version('py3langid')}-{'-'.join(sorted(SUPPORTED_LANGUAGES))}-v3.bin"
    path = cached_file((folder or cache_dir()) / name, _build_in_child)
    if path is not None:
        try:
            return _mapped_identifier(path)
        except (OSError, ValueError, KeyError) as error:
            logger.warning("cannot read the language model %s (%s): loading py3langid's own", path, error)
    return _full_identifier()


def _full_identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED_LANGUAGES))
    return identifier


def _build_in_child(path: Path) -> None:
    command = [sys.executable, "-m", "bot.language.identifier", str(path)]
    subprocess.run(command, check=True, timeout=BUILD_TIMEOUT, capture_output=True)


def build(path: Path) -> None:
    """Write the model cut to ``SUPPORTED_LANGUAGES`` to ``path``."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    nb_ptc, nb_pc, nb_classes, nextmove, rows, output = load_model(MODEL_DIR / MODEL_FILE)
    columns = [i for i, c in enumerate(nb_classes) if c in SUPPORTED_LANGUAGES]
    walked = _rows_walked(nextmove, rows)
    # The rows the bot's languages walk go first and stay in memory; the others are read when reached.
    order = np.concatenate([walked, np.setdiff1d(np.arange(len(nextmove) // 256), walked, assume_unique=True)])
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    table = np.frombuffer(nextmove, dtype=_dtype(nextmove)).reshape(-1, 256)
    row_of = np.frombuffer(rows, dtype=_dtype(rows))
    arrays = {
        "ptc": np.ascontiguousarray(nb_ptc[:, columns]),
        "pc": np.ascontiguousarray(nb_pc[columns]),
        "rows": position[row_of].astype(row_of.dtype),
        "output": np.asarray(output, dtype=np.int32),
        "nextmove": np.ascontiguousarray(table[order]).ravel(),  # last: read in part
    }
    layout, offset = {}, HEADER_BYTES
    for name, array in arrays.items():
        layout[name] = {"offset": offset, "dtype": array.dtype.str, "shape": list(array.shape)}
        offset += -(-array.nbytes // 8) * 8
    classes = [nb_classes[i] for i in columns]
    header = json.dumps({"classes": classes, "walked_rows": len(walked), "arrays": layout}).encode()
    if len(header) > HEADER_BYTES:
        raise ValueError("language model header too long")
    with open(path, "wb") as out:
        out.write(header.ljust(HEADER_BYTES, b" "))
        for name, array in arrays.items():
            out.seek(layout[name]["offset"])
            out.write(array.tobytes())
        out.truncate(offset)


def _rows_walked(nextmove, rows):
    """The row indexes a sample of the supported languages' text walks, in the order first walked."""
    import numpy as np
    from wordfreq import top_n_list

    walked: dict[int, None] = {}
    state = 0
    for language in SUPPORTED_LANGUAGES:
        words = top_n_list(language, SAMPLE_WORDS)
        sample = " ".join(words + [w.capitalize() for w in words[: SAMPLE_WORDS // 3]] + list(SAMPLE_EXTRA))
        for byte in sample.encode("utf-8"):
            state = nextmove[(rows[state] << 8) + byte]
            walked.setdefault(rows[state])
    return np.fromiter(walked, dtype=np.int64, count=len(walked))


def _dtype(values) -> str:
    return {2: "<u2", 4: "<u4", 8: "<u8"}[values.itemsize]


class _Transitions:
    """py3langid's transition table (``table[row << 8 | byte]``): the rows walked by the bot's
    languages in memory, any other row read from the file when a text reaches it."""

    def __init__(self, file, walked: bytes, offset: int, itemsize: int) -> None:
        self._file = file  # open for the life of the process
        self._walked = memoryview(walked).cast({2: "H", 4: "I", 8: "Q"}[itemsize])
        self._count = len(self._walked)
        self._offset = offset
        self._itemsize = itemsize

    def __getitem__(self, index: int) -> int:
        if index < self._count:
            return self._walked[index]
        where = self._offset + index * self._itemsize
        return int.from_bytes(os.pread(self._file.fileno(), self._itemsize, where), "little")


def _mapped_identifier(path: Path):
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    file = open(path, "rb")  # noqa: SIM115 (kept open: rows outside the walked ones are read on demand)
    header = json.loads(file.read(HEADER_BYTES))
    arrays = {}
    for name, spec in header["arrays"].items():
        if name == "nextmove":
            continue
        count = math.prod(spec["shape"])
        file.seek(spec["offset"])
        arrays[name] = np.fromfile(file, dtype=spec["dtype"], count=count).reshape(spec["shape"])
    table = header["arrays"]["nextmove"]
    itemsize = np.dtype(table["dtype"]).itemsize
    file.seek(table["offset"])
    walked = file.read(header["walked_rows"] * 256 * itemsize)
    transitions = _Transitions(file, walked, table["offset"], itemsize)
    # memoryviews: the automaton is walked byte by byte in Python, and they index fastest
    output, rows = memoryview(arrays["output"]), memoryview(arrays["rows"])
    return LanguageIdentifier(arrays["ptc"], arrays["pc"], header["classes"], transitions, output,
                              norm_probs=True, tk_row=rows)  # fmt: skip


if __name__ == "__main__":
    build(Path(sys.argv[1]))
