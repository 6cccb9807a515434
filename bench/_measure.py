"""Small helpers shared by the benchmark scripts: wall time, peak RSS, a results table."""
from __future__ import annotations

import json
import os
import platform
import resource
import threading
import time
from contextlib import contextmanager
from pathlib import Path

try:  # psutil gives the current RSS, so each stage gets its own peak
    import psutil
except ImportError:  # pragma: no cover
    psutil = None


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (MB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Sample this process's RSS every ``interval`` seconds; ``peak()`` since the last ``reset()``."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self._peak = 0.0
        self._stop = threading.Event()
        self._proc = psutil.Process() if psutil else None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _now(self) -> float:
        if self._proc is None:
            return peak_rss_mb()
        return self._proc.memory_info().rss / 2**20

    def _run(self):
        while not self._stop.is_set():
            self._peak = max(self._peak, self._now())
            time.sleep(self.interval)

    def start(self):
        self._thread.start()
        return self

    def reset(self):
        self._peak = self._now()

    def peak(self) -> float:
        return max(self._peak, self._now())

    def stop(self):
        self._stop.set()


class Stages:
    """Record (stage, seconds, rows, peak RSS) rows and print them as a table."""

    def __init__(self):
        self.rows: list[dict] = []
        self.sampler = RssSampler().start()

    @contextmanager
    def stage(self, name: str, rows: int | None = None, unit: str = "行"):
        self.sampler.reset()
        t = time.perf_counter()
        rec = {"stage": name, "rows": rows, "unit": unit}
        try:
            yield rec
        finally:
            rec["seconds"] = time.perf_counter() - t
            rec["peak_rss_mb"] = self.sampler.peak()
            self.rows.append(rec)
            self._print(rec)

    @staticmethod
    def _print(r: dict):
        rate = ""
        if r.get("rows") and r["seconds"] > 0:
            rate = f"{r['rows'] / r['seconds']:>12,.0f} {r['unit']}/秒"
        n = f"{r['rows']:>10,}" if r.get("rows") is not None else " " * 10
        print(f"  {r['stage']:<28} {r['seconds']:>8.2f} 秒  {n} {r['unit']:<2} {rate:<18} "
              f"峰值内存 {r['peak_rss_mb']:>7,.0f} MB", flush=True)

    def add(self, name, seconds, rows=None, unit="行", peak=None):
        rec = {"stage": name, "seconds": seconds, "rows": rows, "unit": unit,
               "peak_rss_mb": peak if peak is not None else self.sampler.peak()}
        self.rows.append(rec)
        self._print(rec)


def machine() -> dict:
    mem = None
    if psutil:
        mem = round(psutil.virtual_memory().total / 2**30, 1)
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": mem, "python": platform.python_version(),
            "platform": platform.platform()}


def save(path, record: dict) -> None:
    """Append one JSON record to a JSON-lines results file."""
    if not path:
        return
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
