"""MP3 encoding from PCM with lameenc, plus the LAME "Info" header players need.

lameenc writes bare CBR frames. Without an Info header a player cannot know the
encoder delay and padding, so the decoded audio is ~1,100 samples late and the reported
duration is ~70 ms too long. We prepend one Info frame (as the ``lame`` command does):
frame count, byte count, a seek table, and the delay/padding that gapless decoders
(mpg123, ffmpeg, mutagen's length) use to trim the audio back to exactly the PCM we
encoded, so cue times computed from sample counts match what listeners hear.
"""

from __future__ import annotations

import struct

LAME_ENCODER_DELAY = 576
"""Samples LAME 3.100 adds before the audio (its ENCDELAY); the decoder adds 529 more."""
DECODER_DELAY = 529

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


def _split_frames(data: bytes) -> list[int]:
    """Offsets of the MPEG frames in ``data`` (lameenc output: frames only, no tags)."""
    offsets = []
    position = 0
    while position + 4 <= len(data):
        header = data[position : position + 4]
        if header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
            raise ValueError(f"lost MPEG frame sync at byte {position}")
        padding = (header[2] >> 1) & 1
        length = _frame_layout(header)[3]
        offsets.append(position)
        position += length + padding  # a layer III padding slot is one byte
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


def encode_mp3(pcm: bytes, sample_rate: int, bitrate_kbps: int = 64, quality: int = 5) -> bytes:
    """Encode mono 16-bit PCM to CBR MP3 with a LAME Info header (``quality``: 0 best … 9)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)  # LAME would resample at low bitrates
    encoder.set_channels(1)
    encoder.set_quality(quality)
    audio = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    frames = _split_frames(audio)
    if not frames:
        raise ValueError("the encoder produced no MP3 frames")
    info = info_frame(audio[:4], len(frames), len(audio), len(pcm) // 2)
    return info + audio
