"""The audio side of a reader page: the player and its controls, the keyboard shortcuts, and
the cue data and script (``reader.js``) that drive the highlighting.

Most of what reader.js looks up is made here: ``#audio``, ``#player-controls`` and its
``data-action`` buttons, ``#play``, ``#speed``, ``#shortcuts-on``, the ``view`` radios and the
``#reader-data`` JSON (per cue: sentence ID, paragraph ID, start and end in seconds), so a
change to one side is a change to the other. The sentences it highlights (``data-s`` spans
in ``#reader``) are laid out by :mod:`toolkit.export.html.reader`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from toolkit.document import Cue
from toolkit.export.html.model import Reading
from toolkit.export.html.page import asset, escape
from toolkit.export.html.strings import ReaderStrings
from toolkit.languages import get_language

SPEEDS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
"""Playback speeds the reader offers."""


def player_section(reading: Reading, audio: str | None, t: ReaderStrings) -> str:
    """The player section: the audio element and its controls, or a note that there is no
    audio (``audio`` is the MP3's URL relative to the page)."""
    if audio is None:
        return (
            f'<section class="player" aria-labelledby="player-h"><div class="wrap">'
            f'<h2 id="player-h">{escape(t.player)}</h2><p>{escape(t.no_audio)}</p></div></section>'
        )
    speeds = "".join(
        f'<option value="{s:g}"{" selected" if s == 1.0 else ""}>{s:g}\u00d7</option>'
        for s in SPEEDS
    )

    def button(action: str, label: str, extra: str = "") -> str:
        return f'<button type="button" data-action="{action}"{extra}>{escape(label)}</button>'

    controls = "".join(
        [
            button("prev-paragraph", t.prev_paragraph),
            button("prev-sentence", t.prev_sentence),
            button(
                "play",
                t.play,
                f' id="play" data-play="{escape(t.play)}" data-pause="{escape(t.pause)}"',
            ),
            button("next-sentence", t.next_sentence),
            button("next-paragraph", t.next_paragraph),
            f'<label>{escape(t.speed)} <select id="speed" dir="ltr">{speeds}</select></label>',
            '<label class="shortcut-toggle"><input type="checkbox" id="shortcuts-on" checked> '
            f"{escape(t.shortcuts_enabled)}</label>",
        ]
    )
    view = ""
    if reading.bilingual:
        target = get_language(reading.lang).native_name
        source = get_language(reading.source_lang).native_name
        options = [
            ("both", t.both),
            ("target", t.only.format(language=target)),
            ("original", t.only.format(language=source)),
        ]
        view = (
            f'<fieldset class="view"><legend>{escape(t.show)}</legend>'
            + "".join(
                f'<label><input type="radio" name="view" value="{v}"'
                f"{' checked' if v == 'both' else ''}> {escape(label)}</label>"
                for v, label in options
            )
            + "</fieldset>"
        )
    return (
        '<section class="player" aria-labelledby="player-h"><div class="wrap">'
        f'<h2 id="player-h">{escape(t.player)}</h2>'
        f'<audio id="audio" controls preload="metadata" src="{escape(audio)}" '
        f'aria-label="{escape(t.audio_label)}"></audio>'
        f'<div id="player-controls" class="controls" hidden>{controls}</div>'
        f"{view}</div></section>"
    )


def shortcuts_section(t: ReaderStrings) -> str:
    """The list of the keyboard shortcuts reader.js handles."""
    keys = [
        ("<kbd>K</kbd>", t.key_play),
        ("<kbd>J</kbd> / <kbd>L</kbd>", t.key_sentence),
        ("<kbd>Shift</kbd>+<kbd>J</kbd> / <kbd>Shift</kbd>+<kbd>L</kbd>", t.key_paragraph),
        ("<kbd>&lt;</kbd> / <kbd>&gt;</kbd>", t.key_speed),
        ("<kbd>Enter</kbd>", t.key_enter),
    ]
    rows = "".join(f'<dt dir="ltr">{k}</dt><dd>{escape(v)}</dd>' for k, v in keys)
    return (
        '<section class="shortcuts wrap" aria-labelledby="keys-h">'
        f'<h2 id="keys-h">{escape(t.shortcuts)}</h2><p>{escape(t.shortcuts_scope)}</p>'
        f"<dl>{rows}</dl></section>"
    )


def _cue_data(reading: Reading, cues: Sequence[Cue]) -> str:
    paragraph_of = reading.paragraph_of()
    data = {
        "cues": [
            {
                "id": c.sentence_id,
                "p": paragraph_of[c.sentence_id],
                "start": round(c.start, 3),
                "end": round(c.end, 3),
            }
            for c in cues
        ]
    }
    # "</" cannot end the script element early: JSON allows the escaped slash.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def player_script(reading: Reading, cues: Sequence[Cue]) -> str:
    """The cue data (JSON) and reader.js, as the two script elements that end the page."""
    return (
        f'<script type="application/json" id="reader-data">{_cue_data(reading, cues)}'
        f"</script><script>{asset('reader.js')}</script>"
    )


__all__ = ["SPEEDS", "player_script", "player_section", "shortcuts_section"]
