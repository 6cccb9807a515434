"""Reading the user's YAML files (mapping files, config files) safely and with line numbers.

* the path must be a file (not a folder) of at most :data:`MAX_BYTES`;
* the text is UTF-8 (a BOM allowed) or GBK/GB18030 (Notepad on Chinese Windows);
* ``yaml.safe_load`` only (no Python objects), and a document whose aliases (``&a`` / ``*a``)
  would expand to more than :data:`MAX_NODES` nodes -- a "billion laughs" bomb -- is refused
  before anything walks it (memory stays bounded);
* :class:`YamlDoc` keeps the line of every key and list item, so errors can name them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError

__all__ = ["YamlDoc", "load_yaml", "MAX_BYTES", "MAX_NODES"]

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000


@dataclass
class YamlDoc:
    """A YAML document: ``data`` and the 1-based ``lines`` of its keys / items by path
    (``("fields", "major")`` → 4)."""

    data: object
    lines: dict = field(default_factory=dict)
    path: Path | None = None
    notes: list = field(default_factory=list)

    def line(self, *keys) -> int | None:
        """The line of the deepest known prefix of ``keys``."""
        for n in range(len(keys), 0, -1):
            if tuple(keys[:n]) in self.lines:
                return self.lines[tuple(keys[:n])]
        return None


def _decode(data: bytes, path: Path, what: str) -> tuple[str, list]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), [f"{what}不是 UTF-8 编码，已按 GBK/GB18030 读取"]
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{what}的编码无法识别（既不是 UTF-8 也不是 GBK）", file=path, row=line,
                          hint="请用文本编辑器把文件另存为 UTF-8 编码。") from None


def _expanded_size(node, memo: dict, depth: int = 0) -> int:
    """Nodes the document has once every alias is expanded (shared nodes counted each time)."""
    import yaml

    key = node  # nodes hash by identity; the memo lives only during this call
    if key in memo:
        return memo[key]
    if depth > 200:
        raise RecursionError
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo, depth + 1) + _expanded_size(v, memo, depth + 1) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo, depth + 1) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def _lines(node, prefix: tuple, out: dict) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = prefix + (getattr(k, "value", None),)
            out.setdefault(key, k.start_mark.line + 1)
            _lines(v, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out.setdefault(prefix + (i,), v.start_mark.line + 1)
            _lines(v, prefix + (i,), out)


def load_yaml(path, *, what: str = "映射文件") -> YamlDoc:
    """Read a user's YAML file (see the module docstring).

    Raises
    ------
    ConfigError
        Missing, a folder, too large, not decodable, not YAML, unsafe tags, an alias bomb.
    """
    import yaml

    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{what}不存在", file=p, hint="请检查路径。")
    if p.is_dir():
        raise ConfigError(f"{what}的路径是一个文件夹，不是文件", file=p, hint="请给出 .yaml 文件本身的路径。")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(f"{what}太大（{size:,} 字节），不像是手写的配置", file=p,
                              expected=f"不超过 {MAX_BYTES // 1024 // 1024} MB", hint="请确认选对了文件。")
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"无法读取{what}：{exc.strerror or exc}", file=p, hint="请检查文件权限。") from None
    text, notes = _decode(data, p, what)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            try:
                n = _expanded_size(node, {})
            except RecursionError:
                n = MAX_NODES + 1
            if n > MAX_NODES:
                raise ConfigError(f"{what}展开 YAML 别名（&/*）后过大（超过 {MAX_NODES:,} 个元素），疑似“别名炸弹”",
                                  file=p, hint="请直接写出内容，不要用别名嵌套引用。")
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"{what}不是合法的 YAML：{getattr(exc, 'problem', None) or exc}", file=p,
                          row=(mark.line + 1) if mark else None,
                          hint="检查缩进和冒号（冒号后要有空格）；可参照 README 中的示例。") from None
    lines: dict = {}
    if node is not None:
        _lines(node, (), lines)
    return YamlDoc(data=doc, lines=lines, path=p, notes=notes)
