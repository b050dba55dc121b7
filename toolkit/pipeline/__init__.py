"""The pipeline: what a user hands a command becomes stage objects; the stages make the pack.

* :mod:`~toolkit.pipeline.stages` — what a :class:`~toolkit.pipeline.stages.Stage` is (one per
  output: its key and the code that makes it) and ``run_stage``, which runs or reuses one;
* :mod:`~toolkit.pipeline.language_stages` — one language's stages (speech JSON, translation
  JSON, PDF, MP3+VTT, zip); :mod:`~toolkit.pipeline.reader_stages` — the read-along page, the
  EPUB and the index page, after every language;
* :mod:`~toolkit.pipeline.executor` — how the language tasks run (serially, forked workers);
* :mod:`~toolkit.pipeline.dask_executor` — or on a Dask cluster's workers, reached through
  :mod:`~toolkit.pipeline.dask_cluster` (``--cluster``);
* :mod:`~toolkit.pipeline.manifest` — the typed manifest, read without trusting it;
* :mod:`~toolkit.pipeline.pack` — the pack's lock, staging, previous pack and commit;
* :mod:`~toolkit.pipeline.journal` — the commit's journal: crash-safe, recovered next time;
* :mod:`~toolkit.pipeline.verify` — ``toolkit verify``: the pack checked against its manifest;
* :mod:`~toolkit.pipeline.build` — ``toolkit build``: segment → stages per language → commit.

``load_document`` turns whatever a user hands a command (a source text, a Speech JSON, a
TranslatedSpeech JSON) into the stage object.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.document import Speech, TranslatedSpeech, load_json_document
from toolkit.errors import InputError


def load_document(path: Path | str, lang: str | None = None) -> Speech | TranslatedSpeech:
    """Segment a ``.md``/``.txt`` source, or load a Speech / TranslatedSpeech JSON file."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return load_json_document(path)
    from toolkit.segment import segment_file

    return segment_file(path, lang=lang)


def load_speech(path: Path | str) -> Speech:
    """Like :func:`load_document`, but the result must be a source :class:`Speech`."""
    document = load_document(path)
    if isinstance(document, TranslatedSpeech):
        raise InputError(
            f"{path} is a translation, but a source speech is needed here.",
            "Give the English source (source/<slug>.en.md) or its Speech JSON.",
        )
    return document


__all__ = ["load_document", "load_speech"]
