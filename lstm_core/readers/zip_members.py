"""Opening a zip archive (.npz, .keras, a PyTorch .pt) only after its directory is vetted:
no encryption, only stored or deflated members, a bounded count and a bounded unpacked size.

A member is read at most up to the size the directory declares (zipfile stops there), so the
declared sizes bound the memory, and a CRC or deflate error becomes a refusal, not a traceback.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from ..refusals import FileRefused

MAX_MEMBERS = 1000
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    OSError,
    ValueError,
    RuntimeError,
    KeyError,
)


def open_vetted_zip(data: bytes, kind: str, max_unpacked: int) -> zipfile.ZipFile:
    if not data.startswith(b"PK"):
        raise FileRefused("not_zip", kind=kind)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except READ_ERRORS as error:
        raise FileRefused("zip_damaged", kind=kind, detail=short(error)) from None
    if len(members) > MAX_MEMBERS:
        raise FileRefused("zip_too_many", kind=kind, count=len(members), limit=MAX_MEMBERS)
    for info in members:
        if info.flag_bits & 0x1:
            raise FileRefused("zip_encrypted", kind=kind)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRefused("zip_method", kind=kind, detail=f"method {info.compress_type}")
    if sum(info.file_size for info in members) > max_unpacked:
        raise FileRefused("unpacks_too_large", kind=kind, limit=max_unpacked // 2**20)
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str) -> bytes:
    try:
        return archive.read(name)
    except READ_ERRORS as error:
        raise FileRefused("zip_damaged", kind=kind, detail=short(error)) from None


def short(error: BaseException) -> str:
    """An exception as a short phrase for a message: its kind and the first line of its text."""
    text = str(error).splitlines()[0][:120] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
