"""The peers we measure ourselves against, installed apart from our own virtualenv, and the timing
machinery that run.py also uses for our commands.

- Translate Toolkit (``translate-toolkit[markdown]``) in ``bench/.venv-peers``, driven by its own
  recursive command line: one ``md2po`` process for the whole ``source/`` folder, one ``po2md``.
- mdpo in ``bench/.venv-mdpo`` (its ``md2po`` command clashes with Translate Toolkit's), measured
  two ways (runners in ``peer_mdpo.py``), because its command line given many files makes one
  catalog for all of them (quadratic): ``mdpo-cli`` is its command line as a user runs it for
  one catalog per article, one ``md2po`` and one ``po2md`` process per article; ``mdpo`` is a
  small Python loop over its API (``markdown_to_pofile`` / ``pofile_to_markdown``), one process
  a step, one call per article: faster than its command line, so it is reported apart.
- po4a from Debian, driven by one ``po4a`` configuration file that lists every article, with one
  POT for the corpus: ``--no-translations`` to extract, ``--no-update`` to build.

Each step runs under ``/usr/bin/time -v`` (peak resident memory); a peer that fails on some
articles, or crashes, is recorded, never fatal.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

BENCH = Path(__file__).resolve().parent
PEERS_VENV = BENCH / ".venv-peers"
MDPO_VENV = BENCH / ".venv-mdpo"
TIME = "/usr/bin/time"
PEERS = ("tt", "mdpo-cli", "mdpo", "po4a")
NAMES = {"tt": "Translate Toolkit", "mdpo-cli": "mdpo (command line, a process per article)",
         "mdpo": "mdpo (API, one process)", "po4a": "po4a"}
CAPPED = ("mdpo-cli", "mdpo")  # loops over the articles: capped at --cap a step, then scaled


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Measured:
    """One subprocess: wall seconds, peak resident memory (MB), exit code and output."""

    seconds: float
    peak_mb: float | None
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


def measure(cmd: Sequence[str], *, cwd: Path | None = None, timeout: float = 1800,
            env: dict[str, str] | None = None) -> Measured:
    """Run ``cmd``, timing it. Its peak memory is the larger of the biggest single process
    (``/usr/bin/time -v``, else ``getrusage(RUSAGE_CHILDREN)``) and the biggest sum of
    proportional resident memory (Pss) over its process tree, sampled every 50 ms, so a tool
    with worker processes is charged for all of them."""
    handle, report = tempfile.mkstemp(prefix="bench-time-")
    os.close(handle)
    wrapped = [TIME, "-v", "-o", report, *cmd] if os.path.exists(TIME) else list(cmd)
    start = time.perf_counter()
    timed_out = False
    tree_kb = 0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        # A thread blocks in wait() so the clock stops when the process ends, not at the next
        # 50 ms sampling tick (which would add up to 50 ms to every short process).
        waiter = threading.Thread(target=process.wait, daemon=True)
        waiter.start()
        while waiter.is_alive():
            tree_kb = max(tree_kb, _tree_rss_kb(process.pid))
            if time.perf_counter() - start > timeout:
                process.kill()
                timed_out = True
                break
            waiter.join(0.05)
        waiter.join()
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = -9 if timed_out else process.returncode
    if timed_out:
        stderr += f"\nkilled after {timeout:.0f} s"
    peak = _peak_mb(Path(report))
    os.unlink(report)
    if peak is None and not os.path.exists(TIME):
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak = max(peak or 0.0, tree_kb / 1024) or None
    return Measured(seconds, peak, code, stdout, stderr, timed_out)


def _tree_rss_kb(root: int) -> int:
    """Proportional resident memory (kB) of ``root`` and all its descendants, from /proc (0
    elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:  # Pss: pages shared between forked workers are counted once
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total


def _peak_mb(report: Path) -> float | None:
    text = report.read_text(errors="replace") if report.exists() else ""
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(found.group(1)) / 1024 if found else None


# ---------------------------------------------------------------- catalogs


_KEEP = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^>]*>|\{\d+\}|%\w|https?://\S+")
_ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


def pseudo(text: str) -> str:
    """A pseudo-translation: vowels accented, code spans, link targets and placeholders kept."""
    out, last = [], 0
    for kept in _KEEP.finditer(text):
        out += [text[last:kept.start()].translate(_ACCENTS), kept.group()]
        last = kept.end()
    out.append(text[last:].translate(_ACCENTS))
    return "".join(out)


def identity(text: str) -> str:
    return text


def fill(source: Path, target: Path, translate: Callable[[str], str], *,
         language: str = "zh") -> int:
    """Write ``target``: the catalog ``source`` with every msgstr set to ``translate(msgid)``,
    not fuzzy. Returns the number of entries filled."""
    catalog = polib.pofile(str(source), wrapwidth=79)
    catalog.metadata["Language"] = language
    charset = catalog.metadata.get("Content-Type", "")
    if "CHARSET" in charset or not charset:
        catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    filled = 0
    for entry in catalog:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translate(entry.msgid)}
        else:
            entry.msgstr = translate(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(target))
    return filled


def pot_counts(folder: Path) -> tuple[int, int]:
    """How many templates are under ``folder``, and how many of them ``msgfmt -c`` accepts."""
    pots = sorted(folder.glob("**/*.pot"))
    return len(pots), sum(
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                       check=False, capture_output=True).returncode == 0
        for path in pots)


def identical(sources: Sequence[Path], editions: Path, suffix: str = ".md") -> int:
    """How many sources have an edition in ``editions`` with exactly the same bytes."""
    count = 0
    for source in sources:
        edition = editions / (source.stem + suffix)
        if edition.exists() and edition.read_bytes() == source.read_bytes():
            count += 1
    return count


# ---------------------------------------------------------------- results


@dataclass
class Step:
    """One timed step over the corpus; ``seconds`` is scaled to the whole corpus when capped."""

    seconds: float | None = None
    peak_mb: float | None = None
    done: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class PeerResult:
    """One peer's chain. ``command_line`` is False for a driver of its library that no user
    runs (mdpo's API loop), so a summary never passes it off as the tool's own figure."""

    tool: str
    how: str
    articles: int
    extract: Step = field(default_factory=Step)
    build: Step = field(default_factory=Step)
    identical: int | None = None
    pot_ok: int | None = None
    pots: int = 0
    skipped: str = ""
    command_line: bool = True


# ---------------------------------------------------------------- installing


def _venv(path: Path, requirement: str, module: str) -> str | None:
    python = path / "bin" / "python"
    if python.exists() and subprocess.run([str(python), "-c", f"import {module}"],
                                          check=False, capture_output=True).returncode == 0:
        return None
    made = subprocess.run([sys.executable, "-m", "venv", str(path)], check=False, capture_output=True,
                          text=True)
    if made.returncode:
        return f"python -m venv {path} failed: {made.stderr.strip()[-300:]}"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", requirement],
                          check=False, capture_output=True, text=True)
    if done.returncode:
        return f"pip install {requirement} failed: {done.stderr.strip()[-300:]}"
    return None


def _po4a() -> str | None:
    if shutil.which("po4a"):
        return None
    if os.geteuid() != 0:
        return "po4a is not installed and we are not root: `apt-get install po4a` to include it"
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "po4a"]):
        done = subprocess.run(cmd, check=False, capture_output=True, text=True,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if done.returncode:
            return f"{' '.join(cmd)} failed: {done.stderr.strip()[-300:]}"
    return None if shutil.which("po4a") else "po4a still missing after apt-get install"


def compile_bytecode(*folders: Path) -> None:
    """Write the .pyc files of every module under ``folders``, as pip does at install time unless
    PYTHONDONTWRITEBYTECODE is set (it is on some CI machines, and then each Python process
    compiles every module it imports, every time). Every Python tool then starts as it does on a
    user's machine; a tool run as one process per article would otherwise pay most."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *map(str, folders)],
                   check=False, capture_output=True)


def install(peer: str) -> str | None:
    """Install one peer if needed; returns why it cannot be run, or None."""
    if peer in ("tt", "mdpo", "mdpo-cli"):
        venv, requirement, module = ((PEERS_VENV, "translate-toolkit[markdown]",
                                      "translate.storage.markdown") if peer == "tt"
                                     else (MDPO_VENV, "mdpo", "mdpo"))
        why = _venv(venv, requirement, module)
        if why is None:
            compile_bytecode(venv / "lib")
        return why
    if peer == "po4a":
        return _po4a()
    raise ValueError(f"unknown peer {peer!r}; expected one of {', '.join(PEERS)}")


# ---------------------------------------------------------------- running


def _missing(sources: Sequence[Path], folder: Path, suffix: str, why: str) -> dict[str, str]:
    return {s.stem: why for s in sources if not (folder / (s.stem + suffix)).exists()}


def _first_error(measured: Measured) -> str:
    lines = [line for line in measured.stderr.splitlines() if line.strip()]
    return (lines[-1] if lines else f"exit code {measured.returncode}")[:200]


def _po_name(stem: str) -> str:
    return f"{stem}.po"


def _fill_all(pots: Path, pos: Path, translate: Callable[[str], str],
              name: Callable[[str], str] = _po_name) -> None:
    for pot in sorted(pots.glob("*.pot")):
        try:
            fill(pot, pos / name(pot.stem), translate)
        except (OSError, ValueError) as error:  # polib rejects it: the build will miss it
            print(f"  cannot fill {pot.name}: {error}", file=sys.stderr)


def identity_rebuild(result: PeerResult, sources: Sequence[Path], pot: Path, po: Path,
                     out: Path, rebuild: Callable[[], object],
                     name: Callable[[str], str] = _po_name) -> PeerResult:
    """The untimed end of every peer's chain: catalogs from ``pot`` filled with msgstr = msgid
    into ``po`` (named by ``name``), ``rebuild()`` into a fresh ``out``; then the editions
    identical to their source and the templates ``msgfmt -c`` accepts."""
    _fill_all(pot, po, identity, name)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rebuild()
    result.identical = identical(sources, out)
    result.pots, result.pot_ok = pot_counts(pot)
    return result


def _step(measured: Measured, sources: Sequence[Path], outputs: Path, suffix: str) -> Step:
    why = "timed out" if measured.timed_out else _first_error(measured)
    failed = _missing(sources, outputs, suffix, why)
    return Step(seconds=measured.seconds, peak_mb=measured.peak_mb,
                done=len(sources) - len(failed), failed=failed,
                note=f"killed after {measured.seconds:.0f} s" if measured.timed_out else "")


def run_tt(sources: Sequence[Path], source_dir: Path, work: Path, *, timeout: float) -> PeerResult:
    result = PeerResult(NAMES["tt"], "one md2po process for source/ (-P), one po2md for po/ "
                        "(its recursive CLI, default options)", len(sources))
    python = str(PEERS_VENV / "bin" / "python")
    pot, po, out = work / "pot", work / "po", work / "out"
    extract = measure([python, "-m", "translate.convert.md2po", "-P", "-i", str(source_dir),
                       "-o", str(pot)], timeout=timeout)
    result.extract = _step(extract, sources, pot, ".pot")
    _fill_all(pot, po, pseudo)
    po2md = [python, "-m", "translate.convert.po2md", "-i", str(po), "-t", str(source_dir),
             "-o", str(out)]
    result.build = _step(measure(po2md, timeout=timeout), sources, out, ".md")
    return identity_rebuild(result, sources, pot, po, out,
                            lambda: measure(po2md, timeout=timeout))


def _po4a_config(sources: Sequence[Path], work: Path) -> Path:
    # One POT for the corpus: with one POT per article (``$master``) po4a still builds the whole
    # POT and then runs msggrep over it once per article, which grows quadratically.
    lines = ["[po4a_langs] zh",
             f"[po4a_paths] {work}/pot/corpus.pot $lang:{work}/po/corpus.$lang.po",
             "[options] --master-charset UTF-8 --localized-charset UTF-8 --keep 0",
             ""]
    lines += [f"[type: text] {s} $lang:{work}/out/$lang/{s.name} "
              f'opt:"-o markdown -o yfm_keys=title,summary"' for s in sources]
    config = work / "po4a.cfg"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run_po4a(sources: Sequence[Path], source_dir: Path, work: Path, *,
             timeout: float) -> PeerResult:
    result = PeerResult(NAMES["po4a"], "one po4a run over a config listing every article, one "
                        "POT and one zh PO for the corpus: --no-translations, then --no-update",
                        len(sources))
    config = _po4a_config(sources, work)
    pot, po, out = work / "pot", work / "po", work / "out" / "zh"
    for folder in (pot, po):
        folder.mkdir(parents=True, exist_ok=True)
    extract = measure(["po4a", "--no-translations", str(config)], timeout=timeout)
    failed = {} if extract.returncode == 0 and (pot / "corpus.pot").exists() else {
        s.stem: "timed out" if extract.timed_out else _first_error(extract) for s in sources}
    result.extract = Step(seconds=extract.seconds, peak_mb=extract.peak_mb,
                          done=len(sources) - len(failed), failed=failed)

    def zh_po(stem: str) -> str:
        return f"{stem}.zh.po"

    _fill_all(pot, po, pseudo, zh_po)
    build = ["po4a", "--no-update", str(config)]
    result.build = _step(measure(build, timeout=timeout), sources, out, ".md")
    return identity_rebuild(result, sources, pot, po, out,
                            lambda: measure(build, timeout=timeout), zh_po)


def _runner(peer: str) -> Callable[..., PeerResult]:
    if peer in ("mdpo", "mdpo-cli"):
        import peer_mdpo  # its two loops over the articles

        return peer_mdpo.run_mdpo if peer == "mdpo" else peer_mdpo.run_mdpo_cli
    return {"tt": run_tt, "po4a": run_po4a}[peer]


def run_peer(peer: str, sources: Sequence[Path], source_dir: Path, work: Path, *,
             cap: float = 300) -> PeerResult:
    """Install (if needed) and run one peer over ``sources`` in a fresh ``work`` folder.

    mdpo's two loops over the articles stop after ``cap`` seconds a step and their time is scaled
    to the corpus; a tool run once over the corpus is killed after three times ``cap`` (recorded
    as failures)."""
    why = install(peer)
    if why:
        return PeerResult(NAMES[peer], "", len(sources), skipped=why)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        timeout = cap if peer in CAPPED else 3 * cap
        return _runner(peer)(sources, source_dir, work, timeout=timeout)
    except Exception as error:  # noqa: BLE001 -- a peer's crash is a finding, not the end of the run
        return PeerResult(NAMES[peer], "", len(sources),
                          skipped=f"runner failed: {type(error).__name__}: {error}")
