"""Every fixed string of the read-along pages and the EPUBs, in the six UN languages.

A delegate's reader speaks to them in their own language: buttons, headings, the keyboard
help and the screen-reader-only texts. ``{…}`` fields are filled by ``str.format``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderStrings:
    """Fixed strings of the reader and EPUB in one language."""

    skip: str
    """Skip link to the text."""
    player: str
    """Heading of the player section."""
    audio_label: str
    """Accessible name of the audio element."""
    play: str
    """Play button."""
    pause: str
    """Pause button (same button, while playing)."""
    prev_sentence: str
    """Previous sentence button."""
    next_sentence: str
    """Next sentence button."""
    prev_paragraph: str
    """Previous paragraph button."""
    next_paragraph: str
    """Next paragraph button."""
    speed: str
    """Label of the speed menu."""
    show: str
    """Legend of the language switch."""
    both: str
    """Switch option: both languages side by side."""
    only: str
    """Switch option: one language only; field ``{language}`` (its native name)."""
    text: str
    """Heading of the speech text."""
    original: str
    """Heading of the original (English) text; in the EPUB, the link to it per paragraph."""
    original_paragraph: str
    """Accessible name of the per-paragraph link to the original; field ``{number}``."""
    back_to_translation: str
    """Link from an original paragraph back to its translation; field ``{number}``."""
    shortcuts: str
    """Heading of the keyboard help."""
    shortcuts_scope: str
    """Where the shortcuts work, and why."""
    shortcuts_enabled: str
    """Check box that turns the shortcuts on and off."""
    key_play: str
    """What the play/pause key does."""
    key_sentence: str
    """What the previous/next sentence keys do."""
    key_paragraph: str
    """What the previous/next paragraph keys do."""
    key_speed: str
    """What the speed keys do."""
    key_enter: str
    """What Enter (or a click) on a sentence does."""
    flagged: str
    """Screen-reader text after a sentence flagged for review; field ``{flags}``."""
    about: str
    """Heading of the provenance section."""
    speaker: str
    """Masthead label."""
    venue: str
    """Masthead label."""
    date: str
    """Masthead label."""
    languages: str
    """Accessible name of the navigation between languages."""
    all_files: str
    """Link to the pack's index page."""
    paragraph: str
    """Paragraph label in the EPUB table of contents; field ``{number}``."""
    contents: str
    """Heading of the EPUB table of contents."""
    no_audio: str
    """Shown when the page has no audio reading."""


STRINGS: dict[str, ReaderStrings] = {
    "en": ReaderStrings(
        skip="Skip to the text",
        player="Listen",
        audio_label="Audio reading",
        play="Play",
        pause="Pause",
        prev_sentence="Previous sentence",
        next_sentence="Next sentence",
        prev_paragraph="Previous paragraph",
        next_paragraph="Next paragraph",
        speed="Speed",
        show="Show",
        both="Both languages",
        only="{language} only",
        text="Text of the speech",
        original="Original (English)",
        original_paragraph="Original (English) of paragraph {number}",
        back_to_translation="Back to paragraph {number}",
        shortcuts="Keyboard shortcuts",
        shortcuts_scope=(
            "These keys work only while the focus is on a sentence or in the player, without "
            "Ctrl, Alt or Cmd, so they never take keys from a screen reader or the browser."
        ),
        shortcuts_enabled="Keyboard shortcuts on",
        key_play="play or pause",
        key_sentence="previous or next sentence",
        key_paragraph="previous or next paragraph",
        key_speed="slower or faster",
        key_enter="play from this sentence (a click does the same)",
        flagged="(flagged for review: {flags})",
        about="About this text",
        speaker="Speaker",
        venue="Venue",
        date="Date",
        languages="Languages",
        all_files="All languages and files",
        paragraph="Paragraph {number}",
        contents="Contents",
        no_audio="No audio reading was made for this language.",
    ),
    "fr": ReaderStrings(
        skip="Aller au texte",
        player="Écouter",
        audio_label="Lecture audio",
        play="Lecture",
        pause="Pause",
        prev_sentence="Phrase précédente",
        next_sentence="Phrase suivante",
        prev_paragraph="Paragraphe précédent",
        next_paragraph="Paragraphe suivant",
        speed="Vitesse",
        show="Afficher",
        both="Les deux langues",
        only="{language} seulement",
        text="Texte de l’allocution",
        original="Original (anglais)",
        original_paragraph="Original (anglais) du paragraphe {number}",
        back_to_translation="Retour au paragraphe {number}",
        shortcuts="Raccourcis clavier",
        shortcuts_scope=(
            "Ces touches n’agissent que lorsque le focus est sur une phrase ou dans le lecteur, "
            "sans Ctrl, Alt ni Cmd : elles ne prennent jamais de touche au lecteur d’écran ni "
            "au navigateur."
        ),
        shortcuts_enabled="Raccourcis clavier activés",
        key_play="lecture ou pause",
        key_sentence="phrase précédente ou suivante",
        key_paragraph="paragraphe précédent ou suivant",
        key_speed="plus lent ou plus rapide",
        key_enter="lire à partir de cette phrase (un clic fait de même)",
        flagged="(signalée pour révision : {flags})",
        about="À propos de ce texte",
        speaker="Orateur",
        venue="Lieu",
        date="Date",
        languages="Langues",
        all_files="Toutes les langues et tous les fichiers",
        paragraph="Paragraphe {number}",
        contents="Table des matières",
        no_audio="Aucune lecture audio n’a été produite pour cette langue.",
    ),
    "es": ReaderStrings(
        skip="Ir al texto",
        player="Escuchar",
        audio_label="Lectura en audio",
        play="Reproducir",
        pause="Pausa",
        prev_sentence="Oración anterior",
        next_sentence="Oración siguiente",
        prev_paragraph="Párrafo anterior",
        next_paragraph="Párrafo siguiente",
        speed="Velocidad",
        show="Mostrar",
        both="Ambos idiomas",
        only="Solo {language}",
        text="Texto de la intervención",
        original="Original (inglés)",
        original_paragraph="Original (inglés) del párrafo {number}",
        back_to_translation="Volver al párrafo {number}",
        shortcuts="Atajos de teclado",
        shortcuts_scope=(
            "Estas teclas solo actúan cuando el foco está en una oración o en el reproductor, "
            "sin Ctrl, Alt ni Cmd, de modo que nunca quitan teclas al lector de pantalla ni al "
            "navegador."
        ),
        shortcuts_enabled="Atajos de teclado activados",
        key_play="reproducir o pausar",
        key_sentence="oración anterior o siguiente",
        key_paragraph="párrafo anterior o siguiente",
        key_speed="más lento o más rápido",
        key_enter="reproducir desde esta oración (un clic hace lo mismo)",
        flagged="(marcada para revisión: {flags})",
        about="Acerca de este texto",
        speaker="Orador",
        venue="Lugar",
        date="Fecha",
        languages="Idiomas",
        all_files="Todos los idiomas y archivos",
        paragraph="Párrafo {number}",
        contents="Índice",
        no_audio="No se produjo lectura en audio para este idioma.",
    ),
    "ru": ReaderStrings(
        skip="Перейти к тексту",
        player="Прослушать",
        audio_label="Аудиозапись",
        play="Воспроизвести",
        pause="Пауза",
        prev_sentence="Предыдущее предложение",
        next_sentence="Следующее предложение",
        prev_paragraph="Предыдущий абзац",
        next_paragraph="Следующий абзац",
        speed="Скорость",
        show="Показать",
        both="Оба языка",
        only="Только {language}",
        text="Текст выступления",
        original="Оригинал (английский)",
        original_paragraph="Оригинал (английский) абзаца {number}",
        back_to_translation="Назад к абзацу {number}",
        shortcuts="Клавиши",
        shortcuts_scope=(
            "Эти клавиши действуют, только когда фокус находится на предложении или в "
            "проигрывателе, без Ctrl, Alt и Cmd, поэтому они не перехватывают клавиши программы "
            "чтения с экрана и браузера."
        ),
        shortcuts_enabled="Клавиши включены",
        key_play="воспроизведение или пауза",
        key_sentence="предыдущее или следующее предложение",
        key_paragraph="предыдущий или следующий абзац",
        key_speed="медленнее или быстрее",
        key_enter="воспроизвести с этого предложения (щелчок делает то же)",
        flagged="(отмечено для проверки: {flags})",
        about="Об этом тексте",
        speaker="Оратор",
        venue="Место",
        date="Дата",
        languages="Языки",
        all_files="Все языки и файлы",
        paragraph="Абзац {number}",
        contents="Содержание",
        no_audio="Аудиозапись на этом языке не создавалась.",
    ),
    "ar": ReaderStrings(
        skip="الانتقال إلى النص",
        player="استمع",
        audio_label="القراءة الصوتية",
        play="تشغيل",
        pause="إيقاف مؤقت",
        prev_sentence="الجملة السابقة",
        next_sentence="الجملة التالية",
        prev_paragraph="الفقرة السابقة",
        next_paragraph="الفقرة التالية",
        speed="السرعة",
        show="عرض",
        both="اللغتان معاً",
        only="{language} فقط",
        text="نص الكلمة",
        original="الأصل (بالإنكليزية)",
        original_paragraph="الأصل الإنكليزي للفقرة {number}",
        back_to_translation="العودة إلى الفقرة {number}",
        shortcuts="اختصارات لوحة المفاتيح",
        shortcuts_scope=(
            "لا تعمل هذه المفاتيح إلا عندما يكون التركيز على جملة أو في المشغل، ومن دون Ctrl "
            "أو Alt أو Cmd، فلا تأخذ أبداً مفاتيح قارئ الشاشة أو المتصفح."
        ),
        shortcuts_enabled="تفعيل اختصارات لوحة المفاتيح",
        key_play="تشغيل أو إيقاف مؤقت",
        key_sentence="الجملة السابقة أو التالية",
        key_paragraph="الفقرة السابقة أو التالية",
        key_speed="أبطأ أو أسرع",
        key_enter="التشغيل من هذه الجملة (والنقر يفعل الشيء نفسه)",
        flagged="(مُعلَّمة للمراجعة: {flags})",
        about="عن هذا النص",
        speaker="المتكلم",
        venue="المكان",
        date="التاريخ",
        languages="اللغات",
        all_files="جميع اللغات والملفات",
        paragraph="الفقرة {number}",
        contents="المحتويات",
        no_audio="لم تُعدّ قراءة صوتية بهذه اللغة.",
    ),
    "zh": ReaderStrings(
        skip="跳到正文",
        player="收听",
        audio_label="音频朗读",
        play="播放",
        pause="暂停",
        prev_sentence="上一句",
        next_sentence="下一句",
        prev_paragraph="上一段",
        next_paragraph="下一段",
        speed="语速",
        show="显示",
        both="两种语言",
        only="仅{language}",
        text="发言全文",
        original="原文（英文）",
        original_paragraph="第{number}段英文原文",
        back_to_translation="返回第{number}段",
        shortcuts="键盘快捷键",
        shortcuts_scope=(
            "这些按键仅在焦点位于某一句或播放器中、且未按 Ctrl、Alt 或 Cmd 时生效，"
            "因此不会占用屏幕阅读器或浏览器的按键。"
        ),
        shortcuts_enabled="启用键盘快捷键",
        key_play="播放或暂停",
        key_sentence="上一句或下一句",
        key_paragraph="上一段或下一段",
        key_speed="减速或加速",
        key_enter="从这一句开始播放（点击亦可）",
        flagged="（已标记待审校：{flags}）",
        about="关于本文",
        speaker="发言人",
        venue="地点",
        date="日期",
        languages="语言",
        all_files="所有语言和文件",
        paragraph="第{number}段",
        contents="目录",
        no_audio="未制作该语言的音频朗读。",
    ),
}


def reader_strings(lang: str) -> ReaderStrings:
    """The fixed strings for ``lang`` (one of the six UN languages)."""
    return STRINGS[lang]


__all__ = ["STRINGS", "ReaderStrings", "reader_strings"]
