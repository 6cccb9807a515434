"""Atomic writes: write to a temporary file in the same folder, then rename.

A failed or interrupted run never leaves a half-written output behind.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputError

__all__ = ["atomic_path", "atomic_dir", "ensure_writable_dir", "safe_filename"]


def ensure_writable_dir(path: str | Path) -> Path:
    """Create ``path`` if needed and check it is writable; raise :class:`OutputError` if not."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=p, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise OutputError(
            f"无法写入输出文件夹：{exc.strerror or exc}",
            file=str(p),
            hint="请换一个有写入权限的输出文件夹（--out），或检查文件夹权限。",
        ) from None
    return p


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it is renamed to ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_dir(target: str | Path) -> Iterator[Path]:
    """Yield a temporary folder; on success its files are moved into ``target``.

    Files already in ``target`` that the run did not write are left alone; files the run wrote
    replace the old ones only when the whole run succeeded.
    """
    target = ensure_writable_dir(target)
    tmp = Path(tempfile.mkdtemp(dir=target, prefix=".partial-"))
    try:
        yield tmp
        mode = 0o666 & ~_umask()
        for src in sorted(tmp.rglob("*")):
            if src.is_file():
                dst = target / src.relative_to(tmp)
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(src, mode)
                os.replace(src, dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_BAD = '/\\:*?"<>|\0'


def safe_filename(name: str, *, max_len: int = 80) -> str:
    """Turn a major or college name into a file name that cannot escape its folder."""
    s = "".join("_" if (c in _BAD or ord(c) < 32) else c for c in str(name)).strip().strip(".")
    s = s.replace("..", "_")
    return (s or "_")[:max_len]
