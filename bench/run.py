"""Benchmark: l10n against Translate Toolkit, mdpo and po4a on one generated corpus.

    .venv/bin/python bench/run.py [--articles 1000] [--peers tt,mdpo-cli,mdpo,po4a] [--skip-peers]

Generates bench/out/corpus-N (see corpus.py), times our extract, update and build (zh catalogs
filled with pseudo-translations, so the build does real work) and ``sync`` with nothing changed,
with our default worker processes and again as one process (``L10N_JOBS=1``, on a fresh copy of
the corpus in bench/out/corpus-N-jobs1); then each peer's extract (md -> POT) and build
(PO -> md), each the way the peer runs (po4a: one POT and PO for the corpus; the others: one per
article). Also counts the articles each tool rebuilds byte-identically when every translation
equals its msgid, and the POT files ``msgfmt -c`` accepts. Prints a table and writes it to
bench/out/results.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
import peers
from peers import Measured, PeerResult, Step, fill, identical, measure

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
SOLO = "l10n, one process (L10N_JOBS=1)"  # the second l10n row: no worker processes


@dataclass
class Ours:
    """Our side: each timed command, and what went wrong."""

    steps: dict[str, Measured] = field(default_factory=dict)
    identical: int | None = None
    pot_ok: int | None = None
    pots: int = 0
    errors: list[str] = field(default_factory=list)


def l10n_command() -> list[str]:
    """Our command: the virtualenv's ``l10n`` script (``make bench`` installs it), else the
    package run from this checkout."""
    script = Path(sys.executable).parent / "l10n"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
            "from l10n.cli import main; main()"), str(BENCH.parent)]


def _fill_catalogs(folder: Path, translate: Callable[[str], str]) -> None:
    for po in sorted(folder.glob("**/*.po")):
        fill(po, po, translate)


def run_ours(workspace: Path, sources: list[Path], *, timeout: float,
             env: dict[str, str] | None = None, label: str = "l10n") -> Ours:
    """Time extract, update, build (pseudo-filled), then identity and ``sync`` with no change.
    ``env`` is every command's environment (None: ours), e.g. with ``L10N_JOBS=1``."""
    ours = Ours()
    l10n = [*l10n_command(), "--root", str(workspace)]

    def step(name: str, *args: str, timed: bool = True) -> bool:
        measured = measure([*l10n, *args], timeout=timeout, env=env)
        print(f"  {label} {name}: {measured.seconds:.2f} s, {_mb(measured.peak_mb)} MB",
              flush=True)
        if timed:
            ours.steps[name] = measured
        if measured.returncode != 0:
            ours.errors.append(f"l10n {' '.join(args)}: exit {measured.returncode}: "
                               f"{peers._first_error(measured)}")
        return measured.returncode == 0

    if not (step("extract", "extract") and step("update", "update")):
        return ours
    zh = workspace / "locales" / "zh"
    _fill_catalogs(zh, peers.pseudo)
    if not step("build", "build", "--min-approved", "0"):
        return ours
    _fill_catalogs(zh, peers.identity)
    step("build (identity)", "build", "--min-approved", "0", timed=False)
    ours.identical = identical(sources, workspace / "build" / "zh")
    ours.pots, ours.pot_ok = peers.pot_counts(workspace / "locales" / "templates")
    step("sync (settle)", "sync", timed=False)
    step("sync", "sync")
    return ours


# ---------------------------------------------------------------- report


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.1f}"


def _mb(mb: float | None) -> str:
    return "—" if mb is None else f"{mb:.0f}"


def _failures(*steps: Step) -> str:
    parts = []
    for name, one in zip(("extract", "build"), steps, strict=True):
        if one.failed:
            first = next(iter(one.failed.items()))
            parts.append(f"{name}: {len(one.failed)} failed (e.g. {first[0]}: {first[1]})")
    return "; ".join(parts) or "none"


def _total(result: PeerResult) -> float | None:
    e, b = result.extract.seconds, result.build.seconds
    return None if result.skipped or e is None or b is None else e + b


def summary(our_total: float | None, results: list[PeerResult],
            solo_total: float | None = None) -> str:
    """Our speed against the fastest peer run by its own command line and, apart, against each
    peer measured through a driver of its library (mdpo's API loop); then the same peers against
    ``solo_total``, our chain run as one process."""
    if not our_total:
        return "No speed ratio: our own chain did not complete."
    timed = [r for r in results if _total(r)]

    def against(result: PeerResult, what: str = "") -> str:
        total = _total(result) or 0.0
        ratio = total / our_total
        speed = f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"
        failed = len(result.extract.failed) + len(result.build.failed)
        caveat = f" ({failed} article step{'s' * (failed != 1)} failed)" if failed else ""
        return f"{result.tool} at {total:.1f} s{caveat}{what}, l10n is {speed}"

    def solo_against(result: PeerResult) -> str:
        ratio = (_total(result) or 0.0) / solo_total
        speed = f"{ratio:.1f}× slower" if ratio >= 1 else f"{1 / ratio:.1f}× faster"
        return f"{result.tool} is {speed}"

    cli = [r for r in timed if r.command_line]
    fastest = min(cli, key=lambda r: _total(r) or 0.0) if cli else None
    parts = ["against the fastest peer run by its own command line, "
             + (against(fastest) if fastest else "none measured")]
    parts += ["against " + against(r, ", our driver of its library in one process (not how "
                                      "it is documented to run)") for r in timed
              if not r.command_line]
    solo = ([fastest] if fastest else []) + [r for r in timed if not r.command_line]
    solo_line = (f" One process (`L10N_JOBS=1`), {solo_total:.1f} s: "
                 + "; ".join(map(solo_against, solo)) + "." if solo_total and solo else "")
    return (f"l10n's chain takes {our_total:.1f} s: " + "; separately, ".join(parts)
            + ". Target: 5×." + solo_line)


def _our_total(ours: Ours) -> float | None:
    chain = [ours.steps.get(name) for name in ("extract", "update", "build")]
    return sum(m.seconds for m in chain if m) if all(chain) else None


def _our_row(tool: str, ours: Ours, reference: float | None, articles: int) -> str:
    """One table row of ours; × l10n is its total over ``reference`` (the default row's)."""
    ext, upd, bld = (ours.steps.get(name) for name in ("extract", "update", "build"))
    total = _our_total(ours)
    peak = max((m.peak_mb or 0 for m in (ext, upd, bld) if m), default=None)
    ratio = f"{total / reference:.1f}" if total and reference else "—"
    return (f"| {tool} | {_s(ext and ext.seconds)} | {_s(upd and upd.seconds)} "
            f"| {_s(bld and bld.seconds)} | {_s(total)} | {_mb(peak)} | {ratio} "
            f"| {ours.identical if ours.identical is not None else '—'}/{articles} "
            f"| {ours.pot_ok if ours.pot_ok is not None else '—'}/{ours.pots} "
            f"| {'; '.join(ours.errors) or 'none'} |")


def report(ours: Ours, results: list[PeerResult], *, articles: int, seconds: float,
           rounds_line: str = "", solo: Ours | None = None) -> str:
    sync = ours.steps.get("sync")
    our_total = _our_total(ours)
    rows = [
        ("| tool | extract s | update s | build s | total s | peak MB | × l10n "
        "| identical | POT passes msgfmt -c | failures |"),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        _our_row("l10n", ours, our_total, articles),
        *([_our_row(SOLO, solo, our_total, articles)] if solo else []),
    ]
    notes = []
    for result in results:
        if result.skipped:
            rows.append(f"| {result.tool} | — | — | — | — | — | — | — | — "
                        f"| skipped: {result.skipped} |")
            continue
        e, b = result.extract, result.build
        total = _total(result)
        ratio = f"{total / our_total:.1f}" if total and our_total else "—"
        peak = max(e.peak_mb or 0, b.peak_mb or 0) or None
        rows.append(
            f"| {result.tool} | {_s(e.seconds)} | — | {_s(b.seconds)} | {_s(total)} "
            f"| {_mb(peak)} | {ratio} | {result.identical}/{articles} "
            f"| {result.pot_ok}/{result.pots} | {_failures(e, b)} |")
        capped = "; ".join(f"{n}: {s.note}" for n, s in (("extract", e), ("build", b)) if s.note)
        notes.append(f"- {result.tool}: {result.how}" + (f". {capped}" if capped else ""))
    solo_sync = solo.steps.get("sync") if solo else None
    sync_line = (f"`l10n sync` with nothing changed: {_s(sync.seconds)} s "
                 f"(peak {_mb(sync.peak_mb)} MB)" if sync else "`l10n sync`: not measured") + (
        f"; one process: {_s(solo_sync.seconds)} s (peak {_mb(solo_sync.peak_mb)} MB)"
        if solo_sync else "")
    return "\n".join([
        f"# Benchmark: {articles} articles (bench/out/corpus-{articles})",
        "",
        (f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}; "
        f"whole run {seconds:.0f} s; load average at the end {os.getloadavg()[0]:.1f} "
        "(other work on the machine slows every tool alike)."),
        "",
        *rows,
        "",
        *([rounds_line, ""] if rounds_line else []),
        summary(our_total, results, _our_total(solo) if solo else None),
        "",
        sync_line,
        "",
        ("Seconds are wall time for the whole corpus, start-up included; peak MB is the highest "
        "memory of any one step: the largest single process (`/usr/bin/time -v`) or, if larger, "
        "the summed Pss of its process tree sampled every 50 ms (so worker pools count in "
        "full; for a loop of one process per article, the largest of them). × l10n is a row's "
        "total over the l10n row's (above 1: l10n is faster). l10n's chain is extract + update + "
        "build (`--min-approved 0`, zh catalogs pseudo-translated); a peer's is extract + build. "
        "*identical*: editions equal to their source byte "
        "for byte when every msgstr equals its msgid."),
        "",
        "How each tool was driven:",
        ("- l10n: one process per command over the workspace (`l10n --root DIR extract`, "
        "`update`, `build --min-approved 0`, `sync`), its default worker processes (one per "
        "CPU)"),
        (f"- {SOLO}: the same commands with `L10N_JOBS=1` in their environment (no worker "
        "processes), on a fresh copy of the corpus"),
        *notes,
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--peers", default=",".join(peers.PEERS),
                        help="comma-separated, from: " + ", ".join(peers.PEERS))
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rounds", type=int, default=1,
                        help="run every tool this many times, interleaved; report each one's best")
    parser.add_argument("--cap", type=float, default=300,
                        help="seconds a peer step may take before it is capped and scaled")
    args = parser.parse_args(argv)
    chosen = [] if args.skip_peers else [p for p in args.peers.split(",") if p]
    unknown = set(chosen) - set(peers.PEERS)
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    peers.compile_bytecode(Path(sys.prefix) / "lib", BENCH.parent / "l10n")  # ours, as installed
    workspace = OUT / f"corpus-{args.articles}"
    solo_workspace = OUT / f"corpus-{args.articles}-jobs1"
    solo_env = {**os.environ, "L10N_JOBS": "1"}
    our_rounds: list[Ours] = []
    solo_rounds: list[Ours] = []
    peer_rounds: dict[str, list[PeerResult]] = {peer: [] for peer in chosen}
    for number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"round {number} of {args.rounds}", flush=True)
        sources = corpus.write_workspace(workspace, articles=args.articles, seed=args.seed)
        print(f"corpus: {len(sources)} articles in {workspace / 'source'}", flush=True)
        our_rounds.append(run_ours(workspace, sources, timeout=3 * args.cap))
        solo_sources = corpus.write_workspace(solo_workspace, articles=args.articles,
                                              seed=args.seed)
        solo_rounds.append(run_ours(solo_workspace, solo_sources, timeout=3 * args.cap,
                                    env=solo_env, label="l10n (L10N_JOBS=1)"))
        for peer in chosen:
            print(f"{peers.NAMES[peer]}…", flush=True)
            result = peers.run_peer(peer, sources, workspace / "source", OUT / "peers" / peer,
                                    cap=args.cap)
            timing = f"extract {_s(result.extract.seconds)} s, build {_s(result.build.seconds)} s"
            print(f"  {result.skipped or timing}", flush=True)
            peer_rounds[peer].append(result)
    ours = min(our_rounds, key=lambda o: _our_total(o) or math.inf)
    solo = min(solo_rounds, key=lambda o: _our_total(o) or math.inf)
    results = [min(rounds, key=lambda r: _total(r) or math.inf) for rounds in peer_rounds.values()]
    if args.rounds > 1:
        totals = [("l10n", [_our_total(o) for o in our_rounds]),
                  ("l10n, one process", [_our_total(o) for o in solo_rounds])] + [
            (rounds[0].tool, [_total(r) for r in rounds]) for rounds in peer_rounds.values()]
        rounds_line = (f"Best of {args.rounds} interleaved rounds (each round runs every tool "
                       "once, in turn); totals per round: " + "; ".join(
                           f"{tool} {', '.join(_s(t) for t in ts)} s" for tool, ts in totals)
                       + ".")
    else:
        rounds_line = ""
    text = report(ours, results, articles=args.articles, seconds=time.perf_counter() - started,
                  rounds_line=rounds_line, solo=solo)
    (OUT / "results.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    return 1 if ours.errors or solo.errors else 0


if __name__ == "__main__":
    sys.exit(main())
