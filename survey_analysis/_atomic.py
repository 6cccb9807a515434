"""Atomic writes: a file, or the whole set of outputs of one run, appears all at once or not at all.

* :func:`atomic_path` -- one file: written to a temporary file beside it, then renamed.
* :func:`atomic_dir` -- the outputs of one run, published as a set.  The run writes into a staging
  folder beside the output folder (``.<name>.new-<pid>-…``); the files of the output folder that
  the run does not write are carried into it (hard links: no copy); then the staging folder and
  the output folder are swapped in one system call (``renameat2(RENAME_EXCHANGE)`` on Linux).  A
  process killed at any point leaves the output folder with all the old files or all the new ones,
  never a mix.  Where the swap is not available, the old folder is renamed aside and the new one
  renamed into place; a kill between the two renames leaves the old folder aside, and the next
  run (or :func:`recover`) puts it back.
* Errors of the file system (disk full, no permission) become :class:`~survey_analysis.errors.OutputError`
  (exit code 2) and leave the old outputs as they were.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputError

__all__ = ["atomic_path", "atomic_dir", "ensure_writable_dir", "safe_filename", "recover"]


def ensure_writable_dir(path: str | Path) -> Path:
    """Create ``path`` if needed and check it is writable; raise :class:`OutputError` if not."""
    p = Path(path)
    try:
        recover(p)
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


def _output_error(exc: OSError, target: Path) -> OutputError:
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return OutputError(
        ("磁盘空间不足，无法写完输出" if full else f"写入输出失败：{exc.strerror or exc}"),
        file=str(target),
        hint=("请腾出磁盘空间或换一个输出文件夹；" if full else "请检查输出文件夹的权限；")
        + "已有的输出文件没有被改动，也没有留下写了一半的文件。",
    )


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


# ---------------------------------------------------------------------------------------------
# a set of outputs
# ---------------------------------------------------------------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux ``renameat2``); ``False`` when not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, getattr(errno, "ENOTSUP", errno.EINVAL)):
        return False  # a file system or kernel without the swap
    raise OSError(err, os.strerror(err), str(b))


def _siblings(target: Path, kind: str) -> list:
    return sorted(target.parent.glob(f".{target.name}.{kind}-*")) if target.name else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def recover(target: str | Path) -> None:
    """Finish what a killed run left beside ``target``: an old folder renamed aside and not
    replaced is put back; staging folders of dead runs are removed."""
    target = Path(target)
    for old in _siblings(target, "old"):
        if not target.exists():
            os.rename(old, target)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for stage in _siblings(target, "new"):
        try:
            pid = int(stage.name.rsplit(".new-", 1)[1].split("-")[0])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(stage, ignore_errors=True)


def _carry_over(old: Path, new: Path) -> None:
    """Hard-link into ``new`` every entry of ``old`` that ``new`` does not have (recursively)."""
    for src in old.iterdir():
        dst = new / src.name
        if src.name.startswith((".partial-", ".write-test-")):
            continue
        if src.is_dir() and not src.is_symlink():
            if dst.exists() and not dst.is_dir():
                continue
            dst.mkdir(exist_ok=True)
            shutil.copystat(src, dst)
            _carry_over(src, dst)
        elif not dst.exists() and not dst.is_symlink():
            if src.is_symlink():
                os.symlink(os.readlink(src), dst)
                continue
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


def _swappable(target: Path) -> bool:
    """A folder that may be swapped as a whole: not the working folder (or above it), not a mount
    point, its parent writable."""
    try:
        here = Path.cwd().resolve()
        t = target.resolve()
    except OSError:
        return False
    if t == here or t in here.parents or (target.exists() and os.path.ismount(t)):
        return False
    return os.access(t.parent, os.W_OK | os.X_OK)


def _publish(stage: Path, target: Path) -> None:
    if not target.exists():
        os.rename(stage, target)
        return
    _carry_over(target, stage)
    if exchange(stage, target):
        shutil.rmtree(stage, ignore_errors=True)  # the old outputs now live here
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}-{os.urandom(3).hex()}"
    os.rename(target, aside)
    try:
        os.rename(stage, target)
    except OSError:
        os.rename(aside, target)  # put the old outputs back
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _publish_files(stage: Path, target: Path) -> None:
    """The fallback for a folder that cannot be swapped: move the files in one by one."""
    for src in sorted(stage.rglob("*")):
        if src.is_file():
            dst = target / src.relative_to(stage)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)


@contextlib.contextmanager
def atomic_dir(target: str | Path) -> Iterator[Path]:
    """Yield a staging folder; on success its files are published into ``target`` as one set.

    Files already in ``target`` that the run did not write are kept; files the run wrote replace
    the old ones -- all at once (see the module docstring), and only when the whole run succeeded.
    A file-system error (disk full …) raises :class:`OutputError` and changes nothing.
    """
    target = ensure_writable_dir(target)
    swap = _swappable(target)
    base = target.parent if swap else target
    prefix = f".{target.name}.new-{os.getpid()}-" if swap else ".partial-"
    try:
        stage = Path(tempfile.mkdtemp(dir=base, prefix=prefix))
        os.chmod(stage, os.stat(target).st_mode & 0o7777)
    except OSError as exc:
        raise _output_error(exc, target) from None
    try:
        yield stage
        mode = 0o666 & ~_umask()
        for f in stage.rglob("*"):
            if f.is_file() and not f.is_symlink():
                os.chmod(f, mode)
        (_publish if swap else _publish_files)(stage, target)
    except OSError as exc:
        raise _output_error(exc, target) from None
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


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
