"""Worker process that owns one libespeak-ng instance (run as ``python -m``).

libespeak-ng keeps its voice, parameters and output callback in process-global state,
so each language gets its own process: two threads (or two languages) can never
interleave their calls into the same library. This module imports nothing heavy so the
worker starts in a few tens of milliseconds.

Protocol on stdin/stdout (all integers little-endian):
  handshake  worker → parent  ``<iI``  status (0 = ok), sample rate; on error a ``<I``
             length and a UTF-8 message follow.
  request    parent → worker  ``<II``  words per minute, text length; then the UTF-8 text.
  response   worker → parent  ``<iI``  status, payload length; then PCM (or the message).
"""

from __future__ import annotations

import ctypes
import struct
import sys
from typing import BinaryIO

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
CHARS_UTF8 = 1
PARAM_RATE = 1
HEADER = struct.Struct("<iI")
REQUEST = struct.Struct("<II")


def _reply(out: BinaryIO, status: int, payload: bytes) -> None:
    out.write(HEADER.pack(status, len(payload)))
    out.write(payload)
    out.flush()


def _read_exact(stream: BinaryIO, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main(voice: str) -> int:
    """Serve synthesis requests for ``voice`` until stdin closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data_path = espeakng_loader.get_data_path().encode()
    except (ImportError, OSError, RuntimeError) as exc:
        _reply(stdout, 1, f"cannot load libespeak-ng: {exc}".encode())
        return 1
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    sample_rate = lib.espeak_Initialize(
        AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, INITIALIZE_DONT_EXIT
    )
    if sample_rate <= 0:
        _reply(stdout, 2, b"espeak_Initialize failed")
        return 1
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        _reply(stdout, 3, f"espeak-ng has no voice {voice!r}".encode())
        return 1

    chunks: list[bytes] = []

    def on_audio(wav: ctypes._Pointer[ctypes.c_short] | None, n: int, _events: object) -> int:
        if wav and n > 0:
            chunks.append(ctypes.string_at(wav, n * 2))
        return 0

    callback_type = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
    )
    # Keep a reference for the process lifetime: libespeak-ng calls it from C.
    callback = callback_type(on_audio)
    lib.espeak_SetSynthCallback(callback)
    stdout.write(HEADER.pack(0, sample_rate))
    stdout.flush()

    while True:
        header = _read_exact(stdin, REQUEST.size)
        if header is None:
            break
        wpm, size = REQUEST.unpack(header)
        text = _read_exact(stdin, size)
        if text is None:
            break
        chunks.clear()
        lib.espeak_SetParameter(PARAM_RATE, wpm, 0)
        buffer = ctypes.create_string_buffer(text + b"\0")
        status = lib.espeak_Synth(buffer, len(text) + 1, 0, 0, 0, CHARS_UTF8, None, None)
        if status == 0:
            status = lib.espeak_Synchronize()
        if status != 0:
            _reply(stdout, 4, f"espeak_Synth failed with status {status}".encode())
            continue
        _reply(stdout, 0, b"".join(chunks))
    lib.espeak_Terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
