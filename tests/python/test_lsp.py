"""`importspy lsp` driven by a real LSP client over stdio (pytest-lsp), against real files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types as t  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="function")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "importspy", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(t.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    language = "python" if path.suffix == ".py" else "yaml"
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id=language, version=1, text=path.read_text(encoding="utf-8") if text is None else text)
        )
    )
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int = 2) -> None:
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_of(client: LanguageClient, uri: str) -> list[t.Diagnostic]:
    """The diagnostics the server publishes for `uri` next."""
    client.diagnostics.pop(uri, None)
    while uri not in client.diagnostics:
        await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


CONTRACT = """\
importspy: 1
filename: plugin.py
functions:
  - name: run
    arguments:
      - name: host
      - name: verbose
        value: false
classes:
  - name: Plugin
    methods:
      - name: start
"""

PLUGIN = """\
def run(host, verbose=False):
    return host


class Plugin:
    def start(self):
        pass
"""


def project(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose settings map plugins/*.py to contracts/plugin.yml."""
    write(tmp_path / "pyproject.toml", '[tool.importspy]\n[[tool.importspy.contracts]]\nmatch = "plugins/*.py"\ncontract = "contracts/plugin.yml"\n')
    contract = write(tmp_path / "contracts" / "plugin.yml", CONTRACT)
    module = write(tmp_path / "plugins" / "plugin.py", PLUGIN)
    return contract, module


# ---- contracts -------------------------------------------------------------------------------------


async def test_an_unknown_key_is_an_error_at_its_exact_range_with_did_you_mean(client: LanguageClient, tmp_path: Path):
    path = write(tmp_path / "spymodel.yml", "importspy: 1\nfunctions:\n  - name: run\n    retrun_annotation: int\n")
    uri = open_file(client, path)
    [diagnostic] = await diagnostics_of(client, uri)
    assert diagnostic.severity == t.DiagnosticSeverity.Error
    assert diagnostic.range == t.Range(start=t.Position(line=3, character=4), end=t.Position(line=3, character=21))
    assert "unknown key `retrun_annotation`" in diagnostic.message
    assert "did you mean `return_annotation`?" in diagnostic.message.splitlines()[1]
    change(client, uri, "importspy: 1\nfunctions:\n  - name: run\n    return_annotation: int\n")
    assert await diagnostics_of(client, uri) == []


async def test_yaml_errors_and_lint_warnings_are_reported_as_you_type(client: LanguageClient, tmp_path: Path):
    path = write(tmp_path / "spymodel.yml", "variables: [\n")
    uri = open_file(client, path)
    [syntax] = await diagnostics_of(client, uri)
    assert syntax.severity == t.DiagnosticSeverity.Error
    assert syntax.code == "syntax"
    change(client, uri, "variables:\n  - name: a\n  - name: a\n")
    [warning] = await diagnostics_of(client, uri)
    assert warning.severity == t.DiagnosticSeverity.Warning
    assert warning.code == "duplicate-entry"
    assert warning.range.start.line == 2


async def test_settings_mapped_contracts_and_policies_are_contracts_too(client: LanguageClient, tmp_path: Path):
    contract, _ = project(tmp_path)
    uri = open_file(client, contract, "clases: []\n")  # a contract only because the settings map it
    [diagnostic] = await diagnostics_of(client, uri)
    assert "did you mean `classes`?" in diagnostic.message
    policy = write(tmp_path / "policy.yml", "schema_version: 1\nruntime:\n  pyhton: '>=3.10'\n")
    policy_uri = open_file(client, policy)
    [error] = await diagnostics_of(client, policy_uri)
    assert error.range.start.line == 2
    assert "pyhton" in error.message
    lenses = await client.text_document_code_lens_async(t.CodeLensParams(text_document=t.TextDocumentIdentifier(uri=policy_uri)))
    assert lenses[0].command.title == "ImportSpy 0.5 policy, schema_version 1"
    # Other YAML is left alone.
    other = write(tmp_path / "ci.yml", "jobs: {}\n")
    other_uri = open_file(client, other)
    assert await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=other_uri), position=t.Position(line=1, character=0))
    ) is None


async def test_completion_offers_the_keys_of_the_mapping_and_enum_values(client: LanguageClient, tmp_path: Path):
    text = "importspy: 1\nclasses:\n  - name: Plugin\n    me\ndeployments:\n  - arch: \n"
    uri = open_file(client, write(tmp_path / "spymodel.yml", text))
    await diagnostics_of(client, uri)
    keys = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=3, character=6))
    )
    labels = {item.label: item for item in keys.items}
    assert {"methods", "attributes", "superclasses", "hash"} <= set(labels)
    assert "name" not in labels
    assert labels["methods"].insert_text == "methods: "
    assert "shaped like `functions`" in labels["methods"].documentation
    values = await client.text_document_completion_async(
        t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=5, character=10))
    )
    assert {"x86_64", "aarch64", "arm", "i386"} <= {item.label for item in values.items}


async def test_completion_in_a_policy_offers_its_own_keys_and_the_contract_language_under_its_04_keys(client: LanguageClient, tmp_path: Path):
    text = "schema_version: 1\nruntime:\n  \nfunctions:\n  - name: register\n    \n"
    uri = open_file(client, write(tmp_path / "policy.yml", text), text)  # the buffer keeps its blank lines' indentation
    await diagnostics_of(client, uri)

    async def labels(line: int, character: int) -> set[str]:
        found = await client.text_document_completion_async(
            t.CompletionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=line, character=character))
        )
        return {item.label for item in found.items}

    assert {"python", "os", "architecture", "implementation", "environment"} == await labels(2, 2)
    assert {"arguments", "return_annotation", "hash"} <= await labels(5, 4)


async def test_hover_shows_the_keys_documentation_and_the_schema_version(client: LanguageClient, tmp_path: Path):
    uri = open_file(client, write(tmp_path / "spymodel.yml", CONTRACT))
    await diagnostics_of(client, uri)
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=8, character=3))
    )
    assert "**`classes`**" in hover.contents.value
    assert "docs/contract-language.md#classes" in hover.contents.value
    assert "Schema: ImportSpy contract, schema 1" in hover.contents.value
    assert hover.range.start == t.Position(line=8, character=0)
    nothing = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(line=0, character=14))
    )
    assert nothing is None


# ---- modules ---------------------------------------------------------------------------------------


async def test_a_settings_governed_module_gets_a_diagnostic_per_violation_from_its_unsaved_buffer(client: LanguageClient, tmp_path: Path):
    contract, module = project(tmp_path)
    uri = open_file(client, module)
    assert await diagnostics_of(client, uri) == []
    marker = tmp_path / "ran"
    unsaved = f"open({str(marker)!r}, 'w').close()\n\ndef run(host):\n    return host\n\n\nclass Plugin:\n    def begin(self):\n        pass\n"
    change(client, uri, unsaved)
    by_code = {d.code: d for d in await diagnostics_of(client, uri)}
    assert set(by_code) == {"argument-missing", "method-missing"}
    missing = by_code["argument-missing"]
    assert missing.range == t.Range(start=t.Position(line=2, character=4), end=t.Position(line=2, character=7))
    first, hint = missing.message.splitlines()
    assert "has no parameter `verbose`" in first
    assert hint.startswith("add parameter `verbose`")
    [related] = missing.related_information
    assert related.location.uri == contract.as_uri()
    assert related.location.range.start.line == 6
    assert by_code["method-missing"].range.start.line == 6  # the class's line: the method is not there
    assert not marker.exists()  # read, never run
    client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    assert len(await diagnostics_of(client, uri)) == 2


async def test_a_module_an_open_contract_names_is_checked_and_follows_the_contract_buffer(client: LanguageClient, tmp_path: Path):
    contract = write(tmp_path / "spymodel.yml", CONTRACT)
    module = write(tmp_path / "plugin.py", PLUGIN)
    contract_uri = open_file(client, contract)
    await diagnostics_of(client, contract_uri)
    module_uri = open_file(client, module)
    assert await diagnostics_of(client, module_uri) == []
    change(client, contract_uri, CONTRACT + "variables:\n  - name: api_level\n    value: 2\n")
    [diagnostic] = await diagnostics_of(client, module_uri)
    assert diagnostic.code == "variable-missing"
    assert diagnostic.range.start == t.Position(line=0, character=0)  # no definition: the module's first line
    assert diagnostic.related_information[0].location.range.start.line == 13


async def test_an_unreadable_module_and_a_broken_contract_are_one_diagnostic_each(client: LanguageClient, tmp_path: Path):
    _, module = project(tmp_path)
    uri = open_file(client, module, "def run(host:\n")
    [diagnostic] = await diagnostics_of(client, uri)
    assert diagnostic.code == "source-invalid"
    write(tmp_path / "contracts" / "plugin.yml", "functions: 3\n")
    change(client, uri, PLUGIN)
    [broken] = await diagnostics_of(client, uri)
    assert broken.code == "contract-invalid"
    assert broken.related_information[0].location.range.start.line == 0


# ---- code actions ----------------------------------------------------------------------------------


def apply(text: str, edits: list[t.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[e.range.start.line] + e.range.start.character
        end = offsets[e.range.end.line] + e.range.end.character
        text = text[:start] + e.new_text + text[end:]
    return text


async def actions_at(client: LanguageClient, uri: str, diagnostics: list[t.Diagnostic]) -> dict[str, t.CodeAction]:
    found = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range if diagnostics else t.Range(start=t.Position(line=0, character=0), end=t.Position(line=0, character=0)),
            context=t.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return {a.title: a for a in found}


async def test_quick_fixes_add_the_missing_parameter_and_rename_to_the_contracted_name(client: LanguageClient, tmp_path: Path):
    _, module = project(tmp_path)
    text = "def run(host):\n    return host\n\n\nclass Plugin:\n    def strat(self):\n        pass\n"
    uri = open_file(client, module, text)
    diagnostics = await diagnostics_of(client, uri)
    actions = await actions_at(client, uri, diagnostics)
    add = actions["Add parameter `verbose` to run as the contract declares"]
    assert add.kind == t.CodeActionKind.QuickFix
    rename = actions["Rename `strat` to `start`, the contracted name"]
    fixed = apply(apply(text, add.edit.changes[uri]), rename.edit.changes[uri])
    assert fixed.splitlines()[0] == "def run(host, verbose=False):"
    assert fixed.splitlines()[5] == "    def start(self):"
    change(client, uri, fixed)
    assert await diagnostics_of(client, uri) == []


async def test_generate_writes_a_contract_the_buffer_satisfies(client: LanguageClient, tmp_path: Path):
    module = write(tmp_path / "tool.py", "def main(argv=None):\n    return 0\n")
    uri = open_file(client, module)
    actions = await actions_at(client, uri, [])
    generate = actions["Generate an ImportSpy contract for this module (spymodel.yml)"]
    create, fill = generate.edit.document_changes
    assert create.uri == (tmp_path / "spymodel.yml").as_uri()
    text = fill.edits[0].new_text
    assert "  - name: main" in text and 'filename: "tool.py"' in text
    (tmp_path / "spymodel.yml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "importspy", "check", str(module), "-s", str(tmp_path / "spymodel.yml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


async def test_refresh_pins_sets_every_hash_to_the_buffers_values(client: LanguageClient, tmp_path: Path):
    module = write(tmp_path / "plugin.py", PLUGIN)
    pinned = subprocess.run(
        [sys.executable, "-m", "importspy", "generate", str(module), "--with-hashes"], capture_output=True, text=True, check=True
    ).stdout
    contract = write(tmp_path / "spymodel.yml", pinned)
    contract_uri = open_file(client, contract)
    await diagnostics_of(client, contract_uri)
    module_uri = open_file(client, module)
    assert await diagnostics_of(client, module_uri) == []
    edited = PLUGIN.replace("return host", "return host * 2")
    change(client, module_uri, edited)
    codes = {d.code for d in await diagnostics_of(client, module_uri)}
    assert codes == {"hash-mismatch", "integrity-mismatch"}
    actions = await actions_at(client, contract_uri, [])
    refresh = actions["Refresh the pins of spymodel.yml from plugin.py"]
    refreshed = apply(pinned, refresh.edit.changes[contract_uri])
    assert len(refresh.edit.changes[contract_uri]) == 2  # the file's pin and run's hash; Plugin is unchanged
    change(client, contract_uri, refreshed)
    await diagnostics_of(client, contract_uri)
    module.write_text(edited, encoding="utf-8")
    contract.write_text(refreshed, encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "importspy", "check", str(module), "-s", str(contract)], capture_output=True).returncode == 0


# ---- navigation ------------------------------------------------------------------------------------


async def test_definition_goes_from_a_contract_entry_to_the_code_and_back(client: LanguageClient, tmp_path: Path):
    contract, module = project(tmp_path)
    module_uri = open_file(client, module)
    await diagnostics_of(client, module_uri)
    contract_uri = open_file(client, contract)
    await diagnostics_of(client, contract_uri)
    [to_code] = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri=contract_uri), position=t.Position(line=11, character=16))
    )
    assert to_code.uri == module_uri
    assert to_code.range == t.Range(start=t.Position(line=5, character=8), end=t.Position(line=5, character=13))  # Plugin.start
    to_contract = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri=module_uri), position=t.Position(line=0, character=5))
    )
    # run's entry and its two argument entries govern it.
    assert sorted(location.range.start.line for location in to_contract) == [3, 5, 6]
    assert {location.uri for location in to_contract} == {contract_uri}
