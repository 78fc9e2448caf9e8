"""mdpo's two rows: its command line run once per article (``mdpo-cli``), and our driver of its
library in one process a step (``mdpo``). Both loops stop after ``--cap`` seconds a step and
scale their time to the whole corpus; see ``peers.py`` for the machinery they share."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from peers import (
    MDPO_VENV,
    NAMES,
    PeerResult,
    Step,
    _fill_all,
    _first_error,
    identity_rebuild,
    measure,
    pseudo,
)

MDPO_DRIVER = r"""
import json, signal, sys, time
from pathlib import Path
from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown

step, listing, work, budget = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
progress = open(work / f"{step}.progress", "a", encoding="utf-8")

class Hang(Exception):
    pass

def hang(*_):
    raise Hang("no answer after 60 s")

signal.signal(signal.SIGALRM, hang)
start = time.perf_counter()
for line in listing.read_text().splitlines():
    if time.perf_counter() - start > budget:
        break
    path = Path(line)
    progress.write(json.dumps({"start": path.stem}) + "\n"); progress.flush()
    error = ""
    signal.alarm(60)
    try:
        if step == "extract":
            markdown_to_pofile(str(path)).save(str(work / "pot" / f"{path.stem}.pot"))
        else:
            pofile_to_markdown(str(path), [str(work / "po" / f"{path.stem}.po")],
                               save=str(work / "out" / f"{path.stem}.md"))
    except Exception as exc:
        error = (f"{type(exc).__name__}: {exc}".splitlines() or ["?"])[0][:200]
    finally:
        signal.alarm(0)
    progress.write(json.dumps({"end": path.stem, "error": error,
                               "seconds": time.perf_counter() - start}) + "\n")
    progress.flush()
"""


def _mdpo_step(step: str, sources: Sequence[Path], work: Path, *, budget: float,
               articles: int) -> Step:
    """Run the mdpo driver over ``sources``, restarting it after an article that kills it."""
    python = str(MDPO_VENV / "bin" / "python")
    progress = work / f"{step}.progress"
    progress.unlink(missing_ok=True)
    result = Step()
    remaining = list(sources)
    seconds = 0.0
    peak = 0.0
    loop_seconds = 0.0
    while remaining:
        listing = work / f"{step}.list"
        listing.write_text("".join(f"{p}\n" for p in remaining))
        measured = measure([python, "-c", MDPO_DRIVER, step, str(listing), str(work),
                            str(budget - loop_seconds)], timeout=budget + 600)
        seconds += measured.seconds
        peak = max(peak, measured.peak_mb or 0)
        started, ended = "", set()
        run_seconds = 0.0
        for line in progress.read_text().splitlines():
            record = json.loads(line)
            if "start" in record:
                started = record["start"]
            else:
                ended.add(record["end"])
                run_seconds = record["seconds"]
                if record["error"]:
                    result.failed[record["end"]] = record["error"]
        progress.unlink()
        loop_seconds += run_seconds
        done_now = [p for p in remaining if p.stem in ended]
        result.done += len(done_now)
        if started and started not in ended:  # the process died on this article
            result.failed[started] = f"process died ({_first_error(measured)})"
            result.done += 1
            done_now.append(next(p for p in remaining if p.stem == started))
        remaining = [p for p in remaining if p not in done_now]
        if not done_now:  # it cannot start at all: every remaining article fails
            result.failed.update({p.stem: _first_error(measured) for p in remaining})
            result.done += len(remaining)
            break
        if measured.returncode == 0 and remaining:  # the budget ran out
            break
    return _scaled(result, articles, seconds=seconds, loop_seconds=loop_seconds, peak=peak)


def _scaled(result: Step, articles: int, *, seconds: float, loop_seconds: float,
            peak: float) -> Step:
    """Set ``result``'s time and memory; when the loop was capped before ``articles``, scale
    its per-article part (``loop_seconds``) to all of them, keeping the rest (start-up) once."""
    result.seconds, result.peak_mb = seconds, peak or None
    if result.done < articles:
        startup = max(seconds - loop_seconds, 0.0)
        result.seconds = startup + loop_seconds * articles / max(result.done, 1)
        result.note = f"capped at {result.done} articles, scaled to {articles}"
    return result


def _mdpo_cli_step(step: str, sources: Sequence[Path], work: Path, *, budget: float,
                   articles: int) -> Step:
    """mdpo's own command line, one process per article as a shell loop would run it: ``md2po
    ARTICLE --po-filepath pot/ARTICLE.pot --save`` or ``po2md ARTICLE --pofiles po/ARTICLE.po
    --save out/ARTICLE.md``. Time is the sum of the processes; memory the largest of them."""
    bin_dir = MDPO_VENV / "bin"
    result = Step()
    seconds = peak = 0.0
    for path in sources:
        if seconds > budget:
            break
        if step == "extract":
            output = work / "pot" / f"{path.stem}.pot"
            cmd = [str(bin_dir / "md2po"), str(path), "--po-filepath", str(output), "--save",
                   "--quiet"]
        else:
            output = work / "out" / f"{path.stem}.md"
            cmd = [str(bin_dir / "po2md"), str(path), "--pofiles",
                   str(work / "po" / f"{path.stem}.po"), "--save", str(output), "--quiet"]
        measured = measure(cmd, timeout=60)
        seconds += measured.seconds
        peak = max(peak, measured.peak_mb or 0)
        result.done += 1
        if measured.returncode or not output.exists():
            result.failed[path.stem] = "timed out" if measured.timed_out else _first_error(measured)
    return _scaled(result, articles, seconds=seconds, loop_seconds=seconds, peak=peak)


def _per_article(result: PeerResult, sources: Sequence[Path], work: Path,
                 run_step: Callable[..., Step], *, budget: float) -> PeerResult:
    """The chain for a peer that writes one catalog per article (``pot/``, ``po/``, ``out/``
    under ``work``): timed extract, pseudo-translated catalogs, timed build; then identity
    catalogs, an untimed rebuild, and the counts. ``run_step(step, sources, work, budget=…,
    articles=…)`` runs "extract" or "build" over ``sources`` until ``budget`` seconds are
    spent, then scales its time to ``articles``."""
    pot, po, out = work / "pot", work / "po", work / "out"
    for folder in (pot, po, out):
        folder.mkdir(parents=True, exist_ok=True)
    result.extract = run_step("extract", sources, work, budget=budget, articles=len(sources))
    _fill_all(pot, po, pseudo)
    built = [s for s in sources if (po / f"{s.stem}.po").exists()]
    # A capped extract leaves articles without a catalog: the build is scaled to them too.
    reach = len(built) + len(sources) - result.extract.done

    def build() -> Step:
        return run_step("build", built, work, budget=budget, articles=reach)

    result.build = build()
    result.build.failed.update({stem: "no catalog from extract" for stem in result.extract.failed
                                if not (po / f"{stem}.po").exists()})
    return identity_rebuild(result, sources, pot, po, out, build)


def run_mdpo(sources: Sequence[Path], source_dir: Path, work: Path, *,
             timeout: float) -> PeerResult:
    result = PeerResult(NAMES["mdpo"], "one Python process looping over its API "
                        "(markdown_to_pofile, pofile_to_markdown), one call per article; "
                        "faster than any way its command line runs", len(sources),
                        command_line=False)
    return _per_article(result, sources, work, _mdpo_step, budget=timeout)


def run_mdpo_cli(sources: Sequence[Path], source_dir: Path, work: Path, *,
                 timeout: float) -> PeerResult:
    result = PeerResult(NAMES["mdpo-cli"], "its command line, one process per article and "
                        "step: `md2po ARTICLE --po-filepath ARTICLE.pot --save --quiet`, "
                        "`po2md ARTICLE --pofiles ARTICLE.po --save OUT --quiet` (given many "
                        "files md2po makes one catalog for all, which grows quadratically)",
                        len(sources))
    return _per_article(result, sources, work, _mdpo_cli_step, budget=timeout)
