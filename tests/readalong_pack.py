"""A six-language pack made by hand for the reader and EPUB tests: short texts, real espeak audio.

Short on purpose (8 sentences, ~20 s of audio per language) so chromium, EPUBCheck and Ace
check every language of it in seconds. The Arabic translation has one flagged sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from audio_helpers import sample_speech, translate_by_hand

from toolkit.document import Cue, Meta, Speech, TranslatedSpeech, dumps

LANGS = ("en", "ar", "zh", "fr", "ru", "es")
TEXTS: dict[str, list[list[str]]] = {
    "ar": [
        ["حوار افتراضي بشأن المجتمع المدني"],
        ["كلمة ميشيل كونينكس، المديرة التنفيذية للمديرية التنفيذية للجنة مكافحة الإرهاب"],
        ["أصحاب السعادة، أيها الزملاء،"],
        ["تعمل المديرية مع منظمات المجتمع المدني.", "وقد مدّد القرار 2395 (2017) ولايتنا."],
        ["استضاف مكتب مكافحة الإرهاب الحوار.", "ونحن ممتنون.", "شكراً لكم."],
    ],
    "zh": [
        ["关于民间社会的虚拟对话"],
        ["反恐执行局执行主任米歇尔·科宁克斯的讲话"],
        ["各位阁下，各位同事："],
        ["反恐执行局与民间社会组织合作。", "第2395(2017)号决议延长了我们的任务期限。"],
        ["反恐办主办了这次对话。", "我们深表感谢。", "谢谢。"],
    ],
    "fr": [
        ["Dialogue virtuel sur la société civile"],
        ["Allocution de Michèle Coninsx, Directrice exécutive de la DECT"],
        ["Excellences, chers collègues,"],
        [
            "La DECT travaille avec les organisations de la société civile.",
            "La résolution 2395 (2017) a prorogé notre mandat.",
        ],
        ["Le BLT a accueilli le dialogue.", "Nous en sommes reconnaissants.", "Merci."],
    ],
    "ru": [
        ["Виртуальный диалог о гражданском обществе"],
        ["Выступление Мишель Конинкс, Исполнительного директора ИДКТК"],
        ["Ваши превосходительства, коллеги!"],
        [
            "ИДКТК сотрудничает с организациями гражданского общества.",
            "Резолюция 2395 (2017) продлила наш мандат.",
        ],
        ["УКТООН провело этот диалог.", "Мы признательны.", "Спасибо."],
    ],
    "es": [
        ["Diálogo virtual sobre la sociedad civil"],
        ["Intervención de Michèle Coninsx, Directora Ejecutiva de la DECT"],
        ["Excelencias, colegas:"],
        [
            "La DECT trabaja con organizaciones de la sociedad civil.",
            "La resolución 2395 (2017) prorrogó nuestro mandato.",
        ],
        ["La OLCT organizó el diálogo.", "Estamos agradecidos.", "Gracias."],
    ],
}
TITLES = {lang: texts[0][0] for lang, texts in TEXTS.items()}
FLAGGED = ("ar", "p04s02", "number-mismatch")


@dataclass(frozen=True)
class Pack:
    """The hand-made pack: one folder with every language's JSON, MP3, VTT, reader and EPUB."""

    folder: Path
    slug: str
    docs: dict[str, Speech | TranslatedSpeech]
    cues: dict[str, tuple[Cue, ...]]
    durations: dict[str, float]

    def file(self, lang: str, ext: str) -> Path:
        return self.folder / f"{self.slug}.{lang}.{ext}"


def translations(speech: Speech) -> dict[str, TranslatedSpeech]:
    """The five hand translations of :func:`audio_helpers.sample_speech`."""
    out = {}
    for lang, texts in TEXTS.items():
        doc = translate_by_hand(speech, lang, texts, Meta(title=TITLES[lang], speaker="Coninsx"))
        if lang == FLAGGED[0]:
            paragraphs = []
            for p in doc.paragraphs:
                sentences = tuple(
                    replace(s, provenance=replace(s.provenance, flags=(FLAGGED[2],)))
                    if s.id == FLAGGED[1]
                    else s
                    for s in p.sentences
                )
                paragraphs.append(replace(p, sentences=sentences))
            doc = replace(doc, paragraphs=tuple(paragraphs))
        out[lang] = doc
    return out


def make_pack(out: Path) -> Pack:
    """Write the pack under ``out/<slug>/`` (JSON, espeak audio, readers, index, EPUBs)."""
    from toolkit.export.audio import AudioOptions, render_audio
    from toolkit.export.epub import write_epub
    from toolkit.export.html import write_index, write_reader

    speech = sample_speech()
    docs: dict[str, Speech | TranslatedSpeech] = {"en": speech, **translations(speech)}
    folder = out / speech.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{speech.slug}.speech.json").write_text(dumps(speech), encoding="utf-8")
    cues, durations = {}, {}
    options = AudioOptions(tts="espeak", sentence_pause_ms=300, paragraph_pause_ms=600)
    for lang, doc in docs.items():
        if lang != "en":
            (folder / f"{speech.slug}.{lang}.json").write_text(dumps(doc), encoding="utf-8")
        result = render_audio(doc, lang, out, options)
        cues[lang], durations[lang] = result.cues, result.duration_s
    for lang, doc in docs.items():
        write_reader(doc, folder, audio=folder / f"{speech.slug}.{lang}.mp3", languages=LANGS)
        write_epub(doc, folder, audio=folder / f"{speech.slug}.{lang}.mp3")
    write_index(folder, speech.slug, speech.meta.title or speech.slug)
    return Pack(folder, speech.slug, docs, cues, durations)
