"""The competency taxonomy (能力词表) and fast alias matching."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import ConfigError

__all__ = ["Taxonomy", "load_taxonomy"]

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


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """Competencies, their aliases and tools, with a compiled matcher.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per competency: ``id, name, name_en, category``.
    aliases : pandas.DataFrame
        One row per surface form: ``alias, competency_id, kind`` (``name``, ``alias``,
        ``alias_en``, ``tool``) and ``polarity`` (``gap``/``strength`` for aliases that carry a
        polarity by themselves, else ``None``).
    tools : pandas.DataFrame
        ``tool, competency_id``.
    """

    frame: pd.DataFrame
    aliases: pd.DataFrame
    tools: pd.DataFrame
    source: str = "package"
    _lookup: dict = field(default_factory=dict, repr=False)
    _pattern: re.Pattern | None = field(default=None, repr=False)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict, *, source: str = "package", file=None) -> "Taxonomy":
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
            alias_rows.append((c["name"], c["id"], "name", None))
            for a in c.get("aliases", []) or []:
                alias_rows.append((str(a), c["id"], "alias", None))
            for pol in ("gap", "strength"):
                for a in c.get(f"{pol}_aliases", []) or []:
                    alias_rows.append((str(a), c["id"], "alias", pol))
            for a in c.get("aliases_en", []) or []:
                alias_rows.append((str(a), c["id"], "alias_en", None))
        tool_rows = []
        for t in data.get("tools", []) or []:
            if t.get("competency") not in seen_ids:
                raise ConfigError("工具映射到不存在的能力 id", file=file,
                                  expected="competencies 中的某个 id", found=t)
            tool_rows.append((str(t["name"]), t["competency"]))
            alias_rows.append((str(t["name"]), t["competency"], "tool", None))
        frame = pd.DataFrame(rows, columns=["id", "name", "name_en", "category"])
        aliases = pd.DataFrame(alias_rows, columns=["alias", "competency_id", "kind", "polarity"])
        # a polarity alias overrides the same plain alias of the same competency; first id wins
        aliases["_key"] = aliases["alias"].str.lower()
        aliases = (aliases.sort_values("polarity", na_position="last", kind="stable")
                   .drop_duplicates("_key", keep="first").sort_index().drop(columns="_key")
                   .reset_index(drop=True))
        tools = pd.DataFrame(tool_rows, columns=["tool", "competency_id"])
        return cls(frame=frame, aliases=aliases, tools=tools, source=source)

    # -- lookups --------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    def __len__(self) -> int:
        return len(self.frame)

    def name(self, competency_id: str) -> str:
        """Canonical Chinese name of ``competency_id``."""
        return self._info()[competency_id][0]

    @lru_cache(maxsize=1)  # noqa: B019 - one cache per taxonomy object is what we want
    def _info(self) -> dict:
        return {r.id: (r.name, r.category, r.name_en) for r in self.frame.itertuples()}

    @lru_cache(maxsize=1)  # noqa: B019
    def _compiled(self):
        lookup = {}
        for r in self.aliases.itertuples():
            pol = r.polarity if isinstance(r.polarity, str) else None
            lookup.setdefault(r.alias.lower(), (r.competency_id, pol))
        latin = [a for a in lookup if re.match(r"[a-z0-9]", a)]
        other = [a for a in lookup if not re.match(r"[a-z0-9]", a)]
        # Latin aliases match whole words only (Go ≠ good, PS ≠ PSD); a space inside a Latin
        # alias matches any run of spaces (power  bi)
        latin_re = trie_regex(latin).replace(r"\ ", r"\s*")
        parts = []
        if latin:
            parts.append(rf"(?<![a-z]){latin_re}(?![a-z])")
        if other:
            parts.append(trie_regex(other))
        pattern = re.compile("|".join(parts) or "(?!)")
        return pattern, lookup

    def match(self, text: str, *, normalized: bool = False) -> list[tuple[int, int, str, str]]:
        """Find competency mentions in ``text`` (leftmost-longest, non-overlapping).

        Parameters
        ----------
        text : str
        normalized : bool, default False
            ``True`` when ``text`` is already normalised and lower-cased (skips that step).

        Returns
        -------
        list of (start, end, matched, competency_id)

        Examples
        --------
        >>> tax = load_taxonomy()
        >>> [m[2:] for m in tax.match("AutoCAD识图能力和沟通技巧有待提高")]
        [('autocad', 'engineering_drawing'), ('识图能力', 'engineering_drawing'), ('沟通技巧', 'communication')]
        """
        if not normalized:
            from ._normalize import normalize_text

            text = normalize_text(text, lower=True)
        pattern, lookup = self._compiled()
        out = []
        for m in pattern.finditer(text):
            key = m.group(0)
            hit = lookup.get(key) or lookup.get(re.sub(r"\s+", " ", key))
            if hit is None:
                continue
            out.append((m.start(), m.end(), key, hit[0]))
        return out

    def alias_polarity(self, matched: str):
        """The polarity an alias carries by itself (``gap``, ``strength`` or ``None``)."""
        _, lookup = self._compiled()
        hit = lookup.get(matched) or lookup.get(re.sub(r"\s+", " ", matched))
        return hit[1] if hit else None


@lru_cache(maxsize=1)
def _package_taxonomy() -> Taxonomy:
    import yaml

    text = resources.files("survey_analysis.text").joinpath("resources").joinpath(
        "taxonomy.yaml").read_text(encoding="utf-8")
    return Taxonomy.from_dict(yaml.safe_load(text))


def load_taxonomy(path=None) -> Taxonomy:
    """Load the competency taxonomy (the package's, or a YAML file of the same layout).

    Parameters
    ----------
    path : path, optional
        A YAML file with ``competencies`` (id, name, name_en, category, aliases) and ``tools``.

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
