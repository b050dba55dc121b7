"""MP3 encoding from PCM with lameenc, plus the LAME "Info" header players need.

lameenc writes bare CBR frames. Without an Info header a player cannot know the
encoder delay and padding, so the decoded audio is ~1,100 samples late and the reported
duration is ~70 ms too long. We prepend one Info frame (as the ``lame`` command does):
frame count, byte count, a seek table, and the delay/padding that gapless decoders
(mpg123, ffmpeg, mutagen's length) use to trim the audio back to exactly the PCM we
encoded, so cue times computed from sample counts match what listeners hear.

Chunked encoding (:func:`encode_frames`, :func:`assemble_mp3`): a reading is encoded as
independent chunks whose bare frames are concatenated under one Info frame. This is valid
MP3 because a fresh LAME encoder starts with an empty bit reservoir — its first frame has
``main_data_begin = 0`` (:func:`main_data_begin` checks it), so no frame refers into the
previous chunk. Each chunk carries its own encoder delay and end padding as silence inside
the stream; only the file's first delay and last padding are trimmed by gapless decoders.
For ``n`` input samples lameenc emits exactly ``ceil((n + 1152) / frame)`` frames
(:func:`frames_for`), and sample ``j`` of a chunk starting at frame ``F`` decodes to
sample ``F * frame + j`` of the trimmed file: chunk boundaries sit on frame boundaries and
every position in the file is known before (and without) encoding.
"""

from __future__ import annotations

import struct

LAME_ENCODER_DELAY = 576
"""Samples LAME 3.100 adds before the audio (its ENCDELAY); the decoder adds 529 more."""

_BITRATES = {  # kbit/s by bitrate index, layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


_INFO_SIZE = 4 + 12 + 100 + 4 + 36 + 2
"""Bytes of the Info tag: "Info", flags/frames/bytes, TOC, quality, LAME extension, CRC."""


def _crc16(data: bytes) -> int:
    """CRC-16/ARC (poly 0x8005 reflected), what LAME uses for the Info tag."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _frame_layout(header: bytes) -> tuple[int, int, int, int]:
    """(MPEG version id, samples per frame, side-info size, frame length) of a header."""
    word = struct.unpack(">I", header)[0]
    version = (word >> 19) & 3  # 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    bitrate = _BITRATES[1 if version == 3 else 2][(word >> 12) & 15] * 1000
    sample_rate = _SAMPLE_RATES[version][(word >> 10) & 3]
    mono = ((word >> 6) & 3) == 3
    if version == 3:
        return version, 1152, 17 if mono else 32, 144 * bitrate // sample_rate
    return version, 576, 9 if mono else 17, 72 * bitrate // sample_rate


def split_frames(data: bytes) -> list[int]:
    """Offsets of the MPEG frames in ``data`` (lameenc output: frames only, no tags)."""
    offsets = []
    position = 0
    # A reading has tens of thousands of frames but only a few distinct headers (CBR: the
    # padding bit varies): each is checked and measured once.
    lengths: dict[bytes, int] = {}
    while position + 4 <= len(data):
        header = data[position : position + 4]
        length = lengths.get(header)
        if length is None:
            if header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
                raise ValueError(f"lost MPEG frame sync at byte {position}")
            try:
                length = _frame_layout(header)[3]
            except (IndexError, KeyError):  # reserved version, bitrate or sample rate
                length = 0
            if length <= 0:  # "free format" (bitrate 0) is never written by lameenc
                raise ValueError(f"not a CBR layer III frame header at byte {position}")
            padding = (header[2] >> 1) & 1  # a layer III padding slot is one byte
            length = lengths[header] = length + padding
        offsets.append(position)
        position += length
    return offsets


def info_frame(first_header: bytes, frames: int, audio_bytes: int, n_samples: int) -> bytes:
    """A LAME Info frame describing ``frames`` CBR frames that hold ``n_samples`` samples."""
    header = bytearray(first_header)
    header[2] &= 0xFD  # no padding bit: the Info frame has the plain frame length
    _, samples_per_frame, side_info, length = _frame_layout(bytes(header))
    needed = 4 + side_info + _INFO_SIZE
    while length < needed:
        # At low bitrates a frame is too small for the tag: like LAME, give the Info frame
        # (which holds no audio) the next bitrate up.
        header[2] = (header[2] & 0x0F) | ((((header[2] >> 4) & 15) + 1) << 4)
        _, samples_per_frame, side_info, length = _frame_layout(bytes(header))
    padding = frames * samples_per_frame - LAME_ENCODER_DELAY - n_samples
    frame = bytearray(length)
    frame[0:4] = header
    offset = 4 + side_info
    total_bytes = audio_bytes + length
    toc = bytes(min(255, i * 256 // 100) for i in range(100))  # linear: CBR
    xing = b"Info" + struct.pack(">III", 0x0F, frames, total_bytes) + toc + struct.pack(">I", 0)
    bitrate = _BITRATES[1 if samples_per_frame == 1152 else 2][(first_header[2] >> 4) & 15]
    lame = bytearray(b"LAME3.100")
    lame += bytes([0x01, 0])  # tag revision 0, CBR; lowpass unknown
    lame += bytes(4 + 2 + 2)  # peak, radio and audiophile replay gain: not computed
    lame += bytes([0, min(bitrate, 255)])  # encoding flags / ATH; bitrate
    lame += ((LAME_ENCODER_DELAY << 12) | max(0, padding)).to_bytes(3, "big")
    lame += bytes([0, 0]) + bytes(2)  # misc, MP3 gain, surround/preset
    lame += struct.pack(">I", total_bytes) + bytes(2)  # music length; music CRC (unused)
    tag = xing + bytes(lame)
    frame[offset : offset + len(tag)] = tag
    crc_at = offset + len(tag)
    frame[crc_at : crc_at + 2] = struct.pack(">H", _crc16(bytes(frame[:crc_at])))
    return bytes(frame)


LAME_FLUSH_SAMPLES = 1152
"""lameenc codes ``n`` samples in ``ceil((n + LAME_FLUSH_SAMPLES) / frame)`` frames: its
576-sample delay plus at least 576 samples of end padding (measured with lameenc 1.9.0 at
8–44.1 kHz and 8–64 kbit/s; :func:`encode_frames` checks it on every call)."""


def samples_per_frame(sample_rate: int) -> int:
    """PCM samples in one layer III frame: 1152 (MPEG-1, ≥ 32 kHz), else 576 (MPEG-2/2.5)."""
    return 1152 if sample_rate >= 32000 else 576


def frames_for(n_samples: int, sample_rate: int) -> int:
    """How many frames lameenc writes for ``n_samples`` samples of PCM."""
    frame = samples_per_frame(sample_rate)
    return -(-(n_samples + LAME_FLUSH_SAMPLES) // frame)


def main_data_begin(frame: bytes) -> int:
    """A layer III frame's ``main_data_begin``: how many bytes of its audio data live in
    earlier frames (the bit reservoir). 0 means the frame decodes without its predecessors."""
    side = 6 if not frame[1] & 1 else 4  # protection bit clear: a 16-bit CRC follows the header
    if (frame[1] >> 3) & 3 == 3:  # MPEG-1: 9 bits
        return (frame[side] << 1) | (frame[side + 1] >> 7)
    return frame[side]  # MPEG-2 and 2.5: 8 bits


def encode_frames(pcm: bytes, sample_rate: int, bitrate_kbps: int = 64, quality: int = 5) -> bytes:
    """Encode mono 16-bit PCM to bare CBR MP3 frames (no Info frame, no tags).

    The result is self-contained: it can be concatenated after any other output of this
    function with the same settings. Raises ValueError if lameenc ever stops behaving as
    measured (frame count, empty reservoir at the start), since positions depend on it.
    """
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)  # LAME would resample at low bitrates
    encoder.set_channels(1)
    encoder.set_quality(quality)
    audio = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    frames = split_frames(audio)
    expected = frames_for(len(pcm) // 2, sample_rate)
    if len(frames) != expected:
        raise ValueError(f"lameenc wrote {len(frames)} frames for {expected} expected")
    if main_data_begin(audio[:6]) != 0:
        raise ValueError("lameenc's first frame refers to a bit reservoir before it")
    return audio


def count_frames(audio: bytes) -> int:
    """Number of MPEG frames in bare frame data (ValueError if it is not frame data)."""
    return len(split_frames(audio))


def assemble_mp3(chunks: list[bytes], n_samples: int) -> bytes:
    """Concatenate outputs of :func:`encode_frames` under one Info frame.

    ``n_samples`` is the length of the decoded file: gapless decoders drop the first
    chunk's encoder delay and everything after sample ``n_samples``.
    """
    audio = b"".join(chunks)
    frames = split_frames(audio)
    if not frames:
        raise ValueError("no MP3 frames to assemble")
    return info_frame(audio[:4], len(frames), len(audio), n_samples) + audio


def encode_mp3(pcm: bytes, sample_rate: int, bitrate_kbps: int = 64, quality: int = 5) -> bytes:
    """Encode mono 16-bit PCM to CBR MP3 with a LAME Info header (``quality``: 0 best … 9)."""
    audio = encode_frames(pcm, sample_rate, bitrate_kbps, quality)
    return assemble_mp3([audio], len(pcm) // 2)
