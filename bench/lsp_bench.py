"""`importspy lsp` speed: diagnostics of a 2,000-line module after an edit, and memory over 1,000 edits.

Run: .venv/bin/python bench/lsp_bench.py [--lines 2000] [--edits 1000]
A real client (pytest-lsp's, over stdio) opens a contract and a module it governs, then changes the module
buffer `--edits` times, each edit waiting for the diagnostics it causes. Reports the time from sending an
edit to receiving its diagnostics (median, 95th percentile, max) and the server's resident memory (VmRSS)
after the first 100 edits and after the last: flat memory means the second is within a few MiB of the first.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as t
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client


def module_text(lines: int, edit: int) -> str:
    """A module of about `lines` lines: classes with methods, functions and variables; `edit` varies one line."""
    out = [f"EDIT = {edit}", "api_level = 2", ""]
    index = 0
    while len(out) < lines - 8:
        out += [f"class Handler{index}:", f"    name = 'handler {index}'", "", f"    def handle(self, event, retries={index}):", "        return event", ""]
        out += [f"def helper_{index}(value, *, scale: int = 1) -> int:", "    return value * scale", ""]
        index += 1
    out += ["def run(host, verbose=False):", "    return host", ""]
    return "\n".join(out) + "\n"


CONTRACT = """importspy: 1
variables:
  - name: api_level
    value: 2
functions:
  - name: run
    arguments:
      - name: host
      - name: verbose
        value: false
  - name: helper_10
    arguments:
      - name: value
      - name: scale
        annotation: int
classes:
  - name: Handler3
    methods:
      - name: handle
        arguments:
          - name: event
          - name: retries
            value: 2
"""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def bench(lines: int, edits: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[tool.importspy]\n[[tool.importspy.contracts]]\nmatch = "*.py"\ncontract = "spymodel.yml"\n')
        (root / "spymodel.yml").write_text(CONTRACT)
        module = root / "big.py"
        module.write_text(module_text(lines, 0))
        client: LanguageClient = make_test_lsp_client()
        await client.start_io(sys.executable, "-m", "importspy", "lsp")
        await client.initialize_session(t.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
        uri = module.as_uri()
        pid = client._server.pid

        async def diagnostics() -> list[t.Diagnostic]:
            client.diagnostics.pop(uri, None)
            while uri not in client.diagnostics:
                await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return client.diagnostics[uri]

        client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(uri=uri, language_id="python", version=1, text=module.read_text())))
        found = await diagnostics()
        times: list[float] = []
        rss_early = 0.0
        series: list[str] = []
        for edit in range(1, edits + 1):
            text = module_text(lines, edit)
            start = time.perf_counter()
            client.text_document_did_change(
                t.DidChangeTextDocumentParams(
                    text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=edit + 1),
                    content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )
            found = await diagnostics()
            times.append((time.perf_counter() - start) * 1000)
            if edit == min(100, edits):
                rss_early = rss_mib(pid)
            if edit % 1000 == 0:
                series.append(f"{edit}: {rss_mib(pid):.1f}")
        rss_late = rss_mib(pid)
        await client.shutdown_session()
        await client.stop()
    times.sort()
    print(f"module: {lines} lines; {len(found)} diagnostics per check; {edits} edits (whole-buffer changes)")
    print(
        f"edit -> diagnostics: median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms"
    )
    print(f"server memory (VmRSS): {rss_early:.1f} MiB after {min(100, edits)} edits, {rss_late:.1f} MiB after {edits} (+{rss_late - rss_early:.1f} MiB)")
    print("VmRSS (MiB) every 1,000 edits: " + ", ".join(series))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=1000)
    arguments = parser.parse_args()
    asyncio.run(bench(arguments.lines, arguments.edits))


if __name__ == "__main__":
    main()
