"""`importspy lsp`: the language server for contracts and the modules they govern (docs/editors.md).

Only the protocol lives here (pygls and lsprotocol): what a diagnostic, a completion, a hover, a fix or a
definition is comes from the engine (``_engine._editor_*``, bindings/src/cli/editor.cpp), which reads the
editor's unsaved text and never runs a module.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from . import _engine

_MISSING = (
    "importspy: error: `importspy lsp` needs the language server protocol library pygls;"
    " install its `lsp` extra: pip install 'importspy[lsp]' (in a checkout: pip install '.[lsp]')\n"
)


def main() -> int:
    """Serve over standard input and output until the client exits; 2 when pygls is missing."""
    try:
        server = _make_server()
    except ImportError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        sys.stderr.write(_MISSING)
        return 2
    server.start_io()
    return 0


def _make_server() -> Any:  # noqa: C901 - one closure per LSP feature
    from lsprotocol import types as t
    from pygls.lsp.server import LanguageServer
    from pygls.uris import from_fs_path, to_fs_path

    server = LanguageServer("importspy", _engine.__version__)
    # Per open document: what the engine last said of it.
    contracts: dict[str, dict[str, Any]] = {}  # uri -> {"filename": ..., "pinned": bool}
    fixes: dict[str, list[dict[str, Any]]] = {}  # module uri -> mechanical fixes of its last check

    def rng(d: dict[str, Any]) -> t.Range:
        return t.Range(
            start=t.Position(line=d["start"]["line"], character=d["start"]["character"]),
            end=t.Position(line=d["end"]["line"], character=d["end"]["character"]),
        )

    def path_of(uri: str) -> str:
        return to_fs_path(uri) or uri

    def text_of(uri: str) -> str:
        return server.workspace.get_text_document(uri).source

    def is_open(uri: str) -> bool:
        return uri in server.workspace.text_documents

    def is_python(uri: str) -> bool:
        return path_of(uri).endswith((".py", ".pyi"))

    def contract_for(module_uri: str) -> tuple[str, str | None] | None:
        """The contract governing a module: the settings' mapping, else an open contract naming its file."""
        path = path_of(module_uri)
        found = json.loads(_engine._editor_governing_contract(path))
        if found is not None:
            contract = found["contract"]
            uri = from_fs_path(contract)
            return contract, text_of(uri) if uri and is_open(uri) else None
        base = os.path.basename(path)
        for uri, info in contracts.items():
            if info.get("filename") == base and is_open(uri):
                return path_of(uri), text_of(uri)
        return None

    def diagnostic(d: dict[str, Any]) -> t.Diagnostic:
        message = d["message"] + (("\n" + d["hint"]) if d.get("hint") else "")
        related = [
            t.DiagnosticRelatedInformation(location=t.Location(uri=from_fs_path(r["file"]) or r["file"], range=rng(r["range"])), message=r["message"])
            for r in d.get("related", [])
        ]
        return t.Diagnostic(
            range=rng(d["range"]),
            severity=t.DiagnosticSeverity(d["severity"]),
            code=d["code"],
            source="importspy",
            message=message,
            related_information=related or None,
            data=d.get("data"),
        )

    def publish(uri: str, items: list[t.Diagnostic]) -> None:
        server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=items))

    def check_module(uri: str) -> None:
        governing = contract_for(uri)
        if governing is None:
            fixes.pop(uri, None)
            publish(uri, [])
            return
        result = json.loads(_engine._editor_check_module(text_of(uri), path_of(uri), governing[0], governing[1]))
        fixes[uri] = result["fixes"]
        publish(uri, [diagnostic(d) for d in result["diagnostics"]])

    def check_contract(uri: str) -> None:
        text = text_of(uri)
        result = json.loads(_engine._editor_contract_diagnostics(text, path_of(uri)))
        contracts[uri] = {"filename": result.get("filename"), "schema": result["schema"]}
        publish(uri, [diagnostic(d) for d in result["diagnostics"]])
        for other in list(server.workspace.text_documents):  # the modules it governs follow the unsaved contract
            if is_python(other):
                check_module(other)

    def forget_finished_notifications() -> None:
        # pygls 2.1 files the future of every notification that its own generator handlers take
        # (didOpen, didChange, didSave, didClose) under a fresh id in `_request_futures`, and only a
        # response takes one out: a notification has none, so each edit would stay (about 2 KiB).
        futures = getattr(server.protocol, "_request_futures", None)
        if isinstance(futures, dict):
            for key in [key for key, future in futures.items() if future.done()]:
                del futures[key]

    def refresh(uri: str) -> None:
        forget_finished_notifications()
        if is_python(uri):
            check_module(uri)
        elif uri in contracts or _engine._editor_is_contract(path_of(uri), text_of(uri)):
            check_contract(uri)

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: t.DidOpenTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: t.DidChangeTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: t.DidSaveTextDocumentParams) -> None:
        refresh(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        contracts.pop(uri, None)
        fixes.pop(uri, None)
        publish(uri, [])

    @server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" ", ":"]))
    def completion(params: t.CompletionParams) -> t.CompletionList | None:
        uri = params.text_document.uri
        if uri not in contracts:
            return None
        items = json.loads(_engine._editor_complete(text_of(uri), params.position.line, params.position.character))
        return t.CompletionList(
            is_incomplete=False,
            items=[
                t.CompletionItem(
                    label=i["label"],
                    kind=t.CompletionItemKind.Property if i["kind"] == "key" else t.CompletionItemKind.EnumMember,
                    detail=i["detail"],
                    documentation=i["documentation"] or None,
                    insert_text=i["label"] + ": " if i["kind"] == "key" else i["label"],
                )
                for i in items
            ],
        )

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(params: t.HoverParams) -> t.Hover | None:
        uri = params.text_document.uri
        if uri not in contracts:
            return None
        found = json.loads(_engine._editor_hover(text_of(uri), path_of(uri), params.position.line, params.position.character))
        if found is None:
            return None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=found["markdown"]), range=rng(found["range"]))

    @server.feature(t.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(params: t.CodeLensParams) -> list[t.CodeLens]:
        info = contracts.get(params.text_document.uri)
        if info is None:
            return []
        top = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0))
        return [t.CodeLens(range=top, command=t.Command(title=info["schema"], command=""))]

    def governed_module(contract_uri: str) -> tuple[str, str] | None:
        """The module a contract governs: an open module it covers, else its `filename` beside it."""
        for other in list(server.workspace.text_documents):
            if is_python(other):
                governing = contract_for(other)
                if governing is not None and os.path.abspath(governing[0]) == os.path.abspath(path_of(contract_uri)):
                    return other, text_of(other)
        name = contracts.get(contract_uri, {}).get("filename")
        if name:
            path = os.path.join(os.path.dirname(path_of(contract_uri)), name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8", errors="surrogateescape") as file:
                    return from_fs_path(path) or path, file.read()
        return None

    def edit(uri: str, edits: list[dict[str, Any]]) -> t.WorkspaceEdit:
        return t.WorkspaceEdit(changes={uri: [t.TextEdit(range=rng(e["range"]), new_text=e["text"]) for e in edits]})

    def pin_action(contract_uri: str, contract_text: str, module_uri: str, module_text: str) -> t.CodeAction | None:
        edits = json.loads(_engine._editor_refresh_pins(contract_text, module_text, path_of(module_uri)))
        if not edits:
            return None
        return t.CodeAction(
            title=f"Refresh the pins of {os.path.basename(path_of(contract_uri))} from {os.path.basename(path_of(module_uri))}",
            kind=t.CodeActionKind.Source,
            edit=edit(contract_uri, edits),
        )

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION)
    def code_action(params: t.CodeActionParams) -> list[t.CodeAction]:
        uri = params.text_document.uri
        actions: list[t.CodeAction] = []
        if uri in contracts:
            module = governed_module(uri)
            if module is not None:
                action = pin_action(uri, text_of(uri), module[0], module[1])
                if action:
                    actions.append(action)
            return actions
        if not is_python(uri):
            return actions
        wanted = {d.data["index"] for d in params.context.diagnostics if isinstance(d.data, dict) and "index" in d.data}
        for fix in fixes.get(uri, []):
            if not wanted or fix["diagnostic"] in wanted:
                actions.append(t.CodeAction(title=fix["title"], kind=t.CodeActionKind.QuickFix, edit=edit(uri, fix["edits"])))
        governing = contract_for(uri)
        if governing is not None:
            contract_uri = from_fs_path(governing[0]) or governing[0]
            contract_text = governing[1]
            if contract_text is None and os.path.isfile(governing[0]):
                with open(governing[0], encoding="utf-8", errors="surrogateescape") as file:
                    contract_text = file.read()
            if contract_text is not None:
                action = pin_action(contract_uri, contract_text, uri, text_of(uri))
                if action:
                    actions.append(action)
        folder = os.path.dirname(path_of(uri))
        stem = os.path.splitext(os.path.basename(path_of(uri)))[0]
        for name in ("spymodel.yml", f"{stem}.spymodel.yml"):
            target = os.path.join(folder, name)
            if not os.path.exists(target):
                target_uri = from_fs_path(target) or target
                generated = _engine._editor_generate(text_of(uri), path_of(uri))
                whole = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0))
                actions.append(
                    t.CodeAction(
                        title=f"Generate an ImportSpy contract for this module ({name})",
                        kind=t.CodeActionKind.Source,
                        edit=t.WorkspaceEdit(
                            document_changes=[
                                t.CreateFile(uri=target_uri, options=t.CreateFileOptions(overwrite=False, ignore_if_exists=True)),
                                t.TextDocumentEdit(
                                    text_document=t.OptionalVersionedTextDocumentIdentifier(uri=target_uri, version=None),
                                    edits=[t.TextEdit(range=whole, new_text=generated)],
                                ),
                            ]
                        ),
                    )
                )
                break
        return actions

    def contains(r: dict[str, Any], p: t.Position) -> bool:
        start, end = r["start"], r["end"]
        return (start["line"], start["character"]) <= (p.line, p.character) <= (end["line"], end["character"])

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(params: t.DefinitionParams) -> list[t.Location] | None:
        uri = params.text_document.uri
        if uri in contracts:  # a contract entry -> the definition it governs
            module = governed_module(uri)
            if module is None:
                return None
            links = json.loads(_engine._editor_links(text_of(uri), module[1], path_of(module[0])))
            for entry in links["entries"]:
                if contains(entry["range"], params.position) and entry["definition"] in links["definitions"]:
                    return [t.Location(uri=module[0], range=rng(links["definitions"][entry["definition"]]))]
            return None
        if not is_python(uri):
            return None
        governing = contract_for(uri)  # a definition -> the contract entries that govern it
        if governing is None:
            return None
        contract_text = governing[1]
        if contract_text is None:
            with open(governing[0], encoding="utf-8", errors="surrogateescape") as file:
                contract_text = file.read()
        links = json.loads(_engine._editor_links(contract_text, text_of(uri), path_of(uri)))
        names = {name for name, r in links["definitions"].items() if contains(r, params.position)}
        contract_uri = from_fs_path(governing[0]) or governing[0]
        found = [t.Location(uri=contract_uri, range=rng(e["range"])) for e in links["entries"] if e["definition"] in names]
        return found or None

    return server
