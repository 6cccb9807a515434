"""The competency taxonomy (能力词表) and fast alias matching."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import ConfigError

__all__ = ["Taxonomy", "load_taxonomy", "load_tool_catalogue"]

CATEGORIES = ("思想道德品质", "职业素养", "专业知识", "专业能力/技能", "通用能力")


def trie_regex(words) -> str:
    """A regex matching any of ``words``, longest first, built as a prefix trie.

    Python's ``re`` tries the branches of a flat alternation one by one; a trie shares the
    prefixes (沟通(?:能力|技巧|表达(?:能力)?)?), which makes matching hundreds of aliases fast.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"(?:{body})?"
        return body

    return build(trie)


#: surface forms ending like this carry their own skill context (go语言, matlab编程)
_SELF_CONTEXT = ("语言", "编程", "软件", "系统", "开发", "脚本")


def _tool_rows(tools, seen_ids, file) -> tuple[list, list]:
    """``(tool_rows, alias_rows)`` of a tool list (catalogue or a taxonomy's own ``tools:``)."""
    tool_rows, alias_rows = [], []
    for t in tools or []:
        if not isinstance(t, dict) or not t.get("name"):
            raise ConfigError("工具条目缺少 name", file=file, expected="{name, competency}", found=t)
        if t.get("competency") not in seen_ids:
            raise ConfigError("工具映射到不存在的能力 id", file=file,
                              expected="competencies 中的某个 id", found=t)
        name, cid = str(t["name"]), t["competency"]
        ctx = bool(t.get("context", False))
        aliases = [str(a) for a in (t.get("aliases") or [])]
        tool_rows.append((name, cid, t.get("group"), ctx, ";".join(aliases)))
        for form in [name] + aliases:
            mixed = bool(re.search(r"[\u4e00-\u9fff]", form)) and bool(re.search(r"[A-Za-z0-9]", form))
            needs = ctx and not mixed and not form.lower().endswith(_SELF_CONTEXT)
            alias_rows.append((form, cid, "tool", None, name, needs))
    return tool_rows, alias_rows


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """Competencies, their aliases and tools, with a compiled matcher.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per competency: ``id, name, name_en, category``.
    aliases : pandas.DataFrame
        One row per surface form: ``alias, competency_id, kind`` (``name``, ``alias``,
        ``alias_en``, ``tool``), ``polarity`` (``gap``/``strength`` for aliases that carry a
        polarity by themselves, else ``None``), ``tool`` (the canonical tool name of a tool's
        surface form, else ``None``) and ``context`` (True: the form counts only in a skill
        context, see ``tools.yaml``).
    tools : pandas.DataFrame
        ``tool, competency_id, group, context, aliases`` (the tool catalogue plus the
        taxonomy's own ``tools:``).
    """

    frame: pd.DataFrame
    aliases: pd.DataFrame
    tools: pd.DataFrame
    source: str = "package"
    _lookup: dict = field(default_factory=dict, repr=False)
    _pattern: re.Pattern | None = field(default=None, repr=False)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict, *, source: str = "package", file=None, tools=None) -> "Taxonomy":
        """Build from the YAML layout; ``tools`` adds a tool catalogue (list of entries)."""
        comps = data.get("competencies") if isinstance(data, dict) else None
        if not comps:
            raise ConfigError("能力词表中没有 competencies 列表", file=file,
                              expected="competencies: [{id, name, name_en, category, aliases}]",
                              found=type(data).__name__)
        rows, alias_rows, seen_ids = [], [], set()
        for i, c in enumerate(comps, start=1):
            missing = [k for k in ("id", "name", "name_en", "category") if not c.get(k)]
            if missing:
                raise ConfigError(f"能力词表第 {i} 项缺少字段：{'、'.join(missing)}", file=file,
                                  expected="id, name, name_en, category", found=c)
            if c["id"] in seen_ids:
                raise ConfigError(f"能力词表中 id 重复：{c['id']}", file=file, found=c["id"])
            seen_ids.add(c["id"])
            rows.append({k: c[k] for k in ("id", "name", "name_en", "category")})
            alias_rows.append((c["name"], c["id"], "name", None, None, False))
            for a in c.get("aliases", []) or []:
                alias_rows.append((str(a), c["id"], "alias", None, None, False))
            for pol in ("gap", "strength"):
                for a in c.get(f"{pol}_aliases", []) or []:
                    alias_rows.append((str(a), c["id"], "alias", pol, None, False))
            for a in c.get("aliases_en", []) or []:
                alias_rows.append((str(a), c["id"], "alias_en", None, None, False))
        tool_rows, tool_aliases = _tool_rows(list(data.get("tools", []) or []) + list(tools or []),
                                             seen_ids, file)
        alias_rows.extend(tool_aliases)
        frame = pd.DataFrame(rows, columns=["id", "name", "name_en", "category"])
        aliases = pd.DataFrame(alias_rows, columns=["alias", "competency_id", "kind", "polarity",
                                                    "tool", "context"])
        # a polarity alias overrides the same plain alias of the same competency; first id wins
        aliases["_key"] = aliases["alias"].str.lower().str.replace(r"\s+", " ", regex=True)
        # a tool's form of the same competency carries the tool's name (数控机床)
        aliases["_tool_first"] = aliases["tool"].isna()
        aliases = (aliases.sort_values(["polarity", "_tool_first"], na_position="last", kind="stable")
                   .drop(columns="_tool_first")
                   .drop_duplicates("_key", keep="first").sort_index().drop(columns="_key")
                   .reset_index(drop=True))
        tools_df = pd.DataFrame(tool_rows, columns=["tool", "competency_id", "group", "context", "aliases"])
        tools_df = tools_df.drop_duplicates("tool", keep="first").reset_index(drop=True)
        return cls(frame=frame, aliases=aliases, tools=tools_df, source=source)

    # -- lookups --------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    def __len__(self) -> int:
        return len(self.frame)

    def name(self, competency_id: str) -> str:
        """Canonical Chinese name of ``competency_id``."""
        return self.info()[competency_id][0]

    @lru_cache(maxsize=1)  # noqa: B019 - one cache per taxonomy object is what we want
    def info(self) -> dict:
        """``{id: (name, category, name_en)}``."""
        return {r.id: (r.name, r.category, r.name_en) for r in self.frame.itertuples()}

    _info = info  # kept for callers of the earlier private name inside this package

    @lru_cache(maxsize=1)  # noqa: B019
    def _compiled(self):
        lookup = {}
        for r in self.aliases.itertuples():
            pol = r.polarity if isinstance(r.polarity, str) else None
            tool = r.tool if isinstance(r.tool, str) else None
            key = re.sub(r"\s+", " ", r.alias.lower())
            lookup.setdefault(key, (r.competency_id, pol, tool, bool(r.context)))
        latin = [a for a in lookup if re.match(r"[a-z0-9.]", a)]
        other = [a for a in lookup if not re.match(r"[a-z0-9.]", a)]
        # Latin aliases match whole words only (Go ≠ good, PS ≠ PSD); a space inside a Latin
        # alias matches any run of spaces or none (power  bi, powerbi)
        latin_re = trie_regex(latin).replace(r"\ ", r"\s*")
        parts = []
        if latin:
            parts.append(rf"(?<![a-z0-9]){latin_re}(?![a-z0-9+#])")
        if other:
            parts.append(trie_regex(other))
        pattern = re.compile("|".join(parts) or "(?!)")
        return pattern, lookup

    def _hit(self, matched: str):
        _, lookup = self._compiled()
        key = matched.lower()
        return lookup.get(key) or lookup.get(re.sub(r"\s+", " ", key)) \
            or self._spaceless().get(re.sub(r"\s+", "", key))

    @lru_cache(maxsize=1)  # noqa: B019
    def _spaceless(self) -> dict:
        _, lookup = self._compiled()
        return {k.replace(" ", ""): v for k, v in lookup.items() if " " in k}

    def match(self, text: str, *, normalized: bool = False) -> list[tuple[int, int, str, str]]:
        """Find competency mentions in ``text`` (leftmost-longest, non-overlapping).

        Parameters
        ----------
        text : str
        normalized : bool, default False
            ``True`` when ``text`` is already normalised (skips :func:`normalize_text`);
            matching ignores case either way.

        Returns
        -------
        list of (start, end, matched, competency_id)
            ``matched`` is the text as written.

        Examples
        --------
        >>> tax = load_taxonomy()
        >>> [m[2:] for m in tax.match("AutoCAD识图能力和沟通技巧有待提高")]
        [('AutoCAD', 'engineering_drawing'), ('识图能力', 'engineering_drawing'), ('沟通技巧', 'communication')]
        """
        if not normalized:
            from ._normalize import normalize_text

            text = normalize_text(text)
        pattern, _ = self._compiled()
        low = text.lower()
        if len(low) != len(text):  # pragma: no cover - a character whose lower case is longer
            low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        out = []
        for m in pattern.finditer(low):
            hit = self._hit(m.group(0))
            if hit is None:
                continue
            out.append((m.start(), m.end(), text[m.start():m.end()], hit[0]))
        return out

    def alias_polarity(self, matched: str):
        """The polarity an alias carries by itself (``gap``, ``strength`` or ``None``)."""
        hit = self._hit(matched)
        return hit[1] if hit else None

    def tool_of(self, matched: str):
        """``(canonical tool name, needs a skill context)`` of a matched form, or ``None``."""
        hit = self._hit(matched)
        return (hit[2], hit[3]) if hit and hit[2] else None


@lru_cache(maxsize=1)
def _package_taxonomy() -> Taxonomy:
    import yaml

    res = resources.files("survey_analysis.text").joinpath("resources")
    text = res.joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    return Taxonomy.from_dict(yaml.safe_load(text), tools=load_tool_catalogue()["tools"])


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    import yaml

    res = resources.files("survey_analysis.text").joinpath("resources")
    return yaml.safe_load(res.joinpath("tools.yaml").read_text(encoding="utf-8"))


def load_tool_catalogue() -> dict:
    """The package's tool catalogue (``resources/tools.yaml``): ``{"groups": {id: 中文名},
    "tools": [{name, competency, group, aliases, context}]}`` (a fresh copy).

    Examples
    --------
    >>> cat = load_tool_catalogue()
    >>> len(cat["tools"]) >= 300
    True
    """
    import copy

    return copy.deepcopy(_catalogue())


def load_taxonomy(path=None) -> Taxonomy:
    """Load the competency taxonomy (the package's, or a YAML file of the same layout).

    Parameters
    ----------
    path : path, optional
        A YAML file with ``competencies`` (id, name, name_en, category, aliases) and
        optionally ``tools``; the package's tool catalogue is added to the package taxonomy only.

    Returns
    -------
    Taxonomy

    Raises
    ------
    ConfigError
        The file is missing or malformed.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.frame.set_index("id").loc["communication", "name"]
    '沟通表达能力'
    """
    if path is None:
        return _package_taxonomy()
    import yaml

    p = Path(path)
    if not p.is_file():
        raise ConfigError("找不到能力词表文件", file=p, expected="YAML 文件", found=str(p))
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError("能力词表不是合法的 YAML", file=p, found=str(exc)[:200]) from exc
    return Taxonomy.from_dict(data, source=str(p), file=p)
