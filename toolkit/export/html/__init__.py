"""Read-along web pages: one self-contained page per language, and the pack's index page.

A reader (``<slug>.<lang>.html``) shows the speech in its language beside the English
original (side by side on wide screens, stacked on narrow ones, one language at a time on
request) and plays the MP3 beside it, highlighting the sentence being read from the audio
reading's cues. It needs no network: CSS and script are inlined, fonts are the system's
(named per script, with fallbacks), the only reference is the pack's own MP3.

Accessibility is built in, not added: landmarks and a skip link, one ``h1``, ``lang`` and
``dir`` on every passage, the current sentence marked with ``aria-current`` and an
underline as well as a colour, keyboard shortcuts that act only while the focus is in the
reader (so a screen reader keeps its keys), reflow down to 320 px, dark mode, forced
colours and reduced motion respected. ``index.html`` lists every language of the pack by
its native name, with its reader and files, their sizes and the reading's duration.

This package's face re-exports the public API of its modules: :mod:`.reader` (the page of
one language), :mod:`.playback` (its player, shortcuts and the cue data reader.js reads),
:mod:`.pack_index` (``index.html``), :mod:`.page` (what both pages share: file names,
assets, escaping), :mod:`.model` (the :class:`~.model.Reading` the reader and the EPUB
present) and :mod:`.strings` (the reader's fixed strings in the six languages).
"""

from toolkit.export.html.pack_index import (
    FILE_KINDS,
    PackFile,
    PackLanguage,
    file_kind,
    human_duration,
    human_size,
    pack_languages,
    render_index,
    write_index,
)
from toolkit.export.html.page import INDEX_NAME, reader_name
from toolkit.export.html.reader import ReaderResult, render_reader, write_reader

__all__ = [
    "FILE_KINDS",
    "INDEX_NAME",
    "PackFile",
    "PackLanguage",
    "ReaderResult",
    "file_kind",
    "human_duration",
    "human_size",
    "pack_languages",
    "reader_name",
    "render_index",
    "render_reader",
    "write_index",
    "write_reader",
]
