"""A papermill plugin: a pseudonymisation key given as a notebook parameter never lands in a notebook.

``papermill nb.ipynb out.ipynb -p KEY 秘密`` writes the parameter into a cell of the saved notebook
and into its metadata.  For a notebook that uses this package (a code cell mentions
``survey_analysis``) this engine takes a ``KEY`` / ``SURVEY_ANALYSIS_KEY`` parameter out of both
before anything is saved and hands it to the kernel as the environment variable
``SURVEY_ANALYSIS_KEY`` (the kernel is a child of the papermill process), which is where the
notebooks read the key (:func:`survey_analysis.design.key_from_env`).  Every other notebook is
run exactly as papermill's own engine runs it.

The package declares the engine as the ``papermill.engine`` entry point ``survey_analysis``;
papermill loads it when it starts and this module makes it the default engine.  With
``--prepare-only`` papermill does not run an engine: give the key in the environment then.
"""
from __future__ import annotations

import os
import re

from papermill.engines import NBClientEngine, papermill_engines

__all__ = ["KeySafeEngine", "scrub_key", "KEY_PARAMETERS"]

#: Parameter names (any case) that carry the pseudonymisation key.
KEY_PARAMETERS = ("KEY", "SURVEY_ANALYSIS_KEY")
_ENV = "SURVEY_ANALYSIS_KEY"
_NOTE = "# 假名化密钥已从参数移入环境变量 SURVEY_ANALYSIS_KEY，不写入 notebook"


def _uses_package(nb) -> bool:
    return any(c.get("cell_type") == "code" and "survey_analysis" in "".join(c.get("source", ""))
               for c in nb.get("cells", []))


def scrub_key(nb, environ=None) -> bool:
    """Move a key parameter of ``nb`` (a papermill-parameterised notebook, changed in place) into
    ``environ`` (default ``os.environ``); return whether there was one.

    The key's assignment leaves the injected-parameters cell (a comment says where it went) and
    the key leaves ``metadata.papermill.parameters``; other parameters stay as papermill wrote them.
    """
    environ = os.environ if environ is None else environ
    params = (nb.get("metadata", {}).get("papermill") or {}).get("parameters") or {}
    names = [k for k in params if str(k).upper() in KEY_PARAMETERS]
    if not names or not _uses_package(nb):
        return False
    environ[_ENV] = str(params[names[0]])
    for k in names:
        del params[k]
    assign = re.compile(r"^\s*(?:%s)\s*=" % "|".join(re.escape(k) for k in names))
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell.get("source", "")
            lines = (src if isinstance(src, str) else "".join(src)).splitlines()
            cell["source"] = "\n".join([line for line in lines if not assign.match(line)] + [_NOTE])
    return True


class KeySafeEngine(NBClientEngine):
    """papermill's nbclient engine, with :func:`scrub_key` before the notebook is first saved."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, **kwargs):
        scrub_key(nb)
        return super().execute_notebook(nb, kernel_name, **kwargs)


papermill_engines.register(None, KeySafeEngine)  # the default engine of this papermill process
