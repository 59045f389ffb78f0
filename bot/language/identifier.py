"""The language identifier: py3langid's model cut to the bot's languages, left on disk.

py3langid unpacks its whole model (97 languages, ~75 MiB resident, ~0.6 s) in every process. The
bot tells only its own languages apart, so the model is cut once to their columns and written
uncompressed to the cache folder, by a child process (a long-running process never holds the full
model). Each process reads the small tables (about 1.3 MiB) and, of the byte automaton (38 MiB),
only the rows its texts walk, each the first time a text reaches it (a few hundred KiB for
questions in the bot's languages). Classification is py3langid's own ``LanguageIdentifier`` on the
same numbers as ``set_languages``: the same answers.

    python -m bot.language.identifier PATH   # build the cut model at PATH (what the child runs)
"""

from __future__ import annotations

import json
import logging
import math
import os
import struct
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bot.cache_files import cache_dir, cached_file
from bot.language.languages import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)

HEADER_BYTES = 4096  # JSON describing the arrays, padded; the arrays follow, 8-byte aligned
BUILD_TIMEOUT = 120.0  # seconds for the child that cuts the model


def load_identifier(folder: Path | None = None):
    """py3langid's ``LanguageIdentifier`` for ``SUPPORTED_LANGUAGES``, with probabilities."""
    name = f"py3langid-{metadata.version('py3langid')}-{'-'.join(sorted(SUPPORTED_LANGUAGES))}-v5.bin"
    path = cached_file((folder or cache_dir()) / name, _build_in_child)
    if path is not None:
        try:
            return _mapped_identifier(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
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
    table = np.frombuffer(nextmove, dtype=_dtype(nextmove))
    row_of = np.frombuffer(rows, dtype=_dtype(rows))
    arrays = {
        "ptc": np.ascontiguousarray(nb_ptc[:, columns]),
        "pc": np.ascontiguousarray(nb_pc[columns]),
        # py3langid's own pre-shifted row offsets, stored so that no process builds them as a list
        "rowbase": row_of.astype(np.uint32) << 8,
        "output": np.asarray(output, dtype=np.int32),
        "nextmove": table,  # last: read a row at a time
    }
    layout, offset = {}, HEADER_BYTES
    for name, array in arrays.items():
        layout[name] = {"offset": offset, "dtype": array.dtype.str, "shape": list(array.shape)}
        offset += -(-array.nbytes // 8) * 8
    classes = [nb_classes[i] for i in columns]
    header = json.dumps({"classes": classes, "arrays": layout}).encode()
    if len(header) > HEADER_BYTES:
        raise ValueError("language model header too long")
    with open(path, "wb") as out:
        out.write(header.ljust(HEADER_BYTES, b" "))
        for name, array in arrays.items():
            out.seek(layout[name]["offset"])
            out.write(array.tobytes())
        out.truncate(offset)


_TYPECODES = {"<u2": "H", "<u4": "I", "<u8": "Q", "<i4": "i"}  # numpy's dtypes as memoryview's formats
ROW = 256  # transitions per row of the byte automaton, one per byte value


def _dtype(values) -> str:
    return {2: "<u2", 4: "<u4", 8: "<u8"}[values.itemsize]


class _Transitions:
    """py3langid's transition table (``table[row << 8 | byte]``), each row read from the file the
    first time a text reaches it, then kept."""

    def __init__(self, file, offset: int, typecode: str) -> None:
        self._file = file  # open for the life of the process
        self._offset = offset
        self._typecode = typecode
        self._row_bytes = ROW * struct.calcsize(typecode)
        self._rows: dict[int, memoryview] = {}

    def __getitem__(self, index: int) -> int:
        row = self._rows.get(index >> 8)
        if row is None:
            row = self._rows[index >> 8] = self._read(index >> 8)
        return row[index & 0xFF]

    def _read(self, number: int) -> memoryview:
        data = os.pread(self._file.fileno(), self._row_bytes, self._offset + number * self._row_bytes)
        if len(data) != self._row_bytes:
            raise IndexError(f"row {number} is past the end of the language model")
        return memoryview(data).cast(self._typecode)


def _mapped_identifier(path: Path):
    file = open(path, "rb")  # noqa: SIM115 (kept open: the automaton's rows are read as texts reach them)
    try:
        return _identifier_from(file)
    except BaseException:
        file.close()
        raise


def _identifier_from(file):
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    header = json.loads(file.read(HEADER_BYTES))
    arrays = {name: (spec, np.dtype(spec["dtype"])) for name, spec in header["arrays"].items()}
    end = max(spec["offset"] + dtype.itemsize * math.prod(spec["shape"]) for spec, dtype in arrays.values())
    if os.fstat(file.fileno()).st_size < end:
        raise ValueError("the file is cut short")

    def read(name: str):
        spec, dtype = arrays[name]
        return os.pread(file.fileno(), dtype.itemsize * math.prod(spec["shape"]), spec["offset"]), spec, dtype

    def table(name: str):
        data, spec, dtype = read(name)
        return np.frombuffer(data, dtype=dtype).reshape(spec["shape"])

    def walked(name: str):  # the automaton is walked byte by byte in Python: memoryviews index fastest
        data, _spec, dtype = read(name)
        return memoryview(data).cast(_TYPECODES[dtype.str])

    nextmove = header["arrays"]["nextmove"]
    transitions = _Transitions(file, nextmove["offset"], _TYPECODES[nextmove["dtype"]])
    identifier = LanguageIdentifier(table("ptc"), table("pc"), header["classes"], transitions, walked("output"),
                                    norm_probs=True, tk_row=())  # fmt: skip
    identifier._rowbase = walked("rowbase")  # what its constructor would compute from tk_row, as a list
    return identifier


if __name__ == "__main__":
    build(Path(sys.argv[1]))
